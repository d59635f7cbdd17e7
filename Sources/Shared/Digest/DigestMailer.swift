import Foundation

/// Emails a ``DigestReport``: one message per notification address, holding the sections of
/// every source that reports to it (a source's `notification_email`, else its tenant's; several
/// addresses may be separated by commas).
public struct DigestMailer: Sendable {
    let smtp: SMTPClient

    /// A mailer sending through `smtp`.
    public init(smtp: SMTPClient) {
        self.smtp = smtp
    }

    /// What was sent and what could not be.
    public struct Outcome: Sendable, Hashable, Codable {
        /// Recipient → the names of the sources in their message.
        public var sent: [String: [String]]
        /// Sources with no notification address (theirs or their tenant's).
        public var unaddressed: [String]
    }

    /// The messages for `report`, by recipient, and the sources nobody gets.
    public func messages(for report: DigestReport) -> (messages: [SMTPMessage], outcome: Outcome) {
        var byRecipient: [String: [SourceDigest]] = [:]
        var unaddressed: [String] = []
        for source in report.sources {
            let recipients = (source.recipient ?? "").split(whereSeparator: { $0 == "," || $0 == ";" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if recipients.isEmpty { unaddressed.append(source.sourceName) }
            for recipient in recipients { byRecipient[recipient.lowercased(), default: []].append(source) }
        }
        var messages: [SMTPMessage] = []
        var sent: [String: [String]] = [:]
        for (recipient, sources) in byRecipient.sorted(by: { $0.key < $1.key }) {
            let newLeads = sources.reduce(0) { $0 + $1.newLeads }
            let dead = sources.reduce(0) { $0 + $1.dead }
            let subject = "LeadRelay digest: \(newLeads) new lead\(newLeads == 1 ? "" : "s"), \(dead) dead deliver\(dead == 1 ? "y" : "ies")"
            messages.append(
                SMTPMessage(
                    from: smtp.configuration.from,
                    to: [recipient],
                    subject: subject,
                    body: report.textLines(sources).joined(separator: "\n") + "\n"
                )
            )
            sent[recipient] = sources.map(\.sourceName)
        }
        return (messages, Outcome(sent: sent, unaddressed: unaddressed))
    }

    /// Sends the digest's messages in one SMTP session.
    public func send(_ report: DigestReport) async throws -> Outcome {
        let (messages, outcome) = messages(for: report)
        try await smtp.send(messages)
        return outcome
    }
}
