import Foundation
import NIOHTTP1

extension DeliveryRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Header names whose values are never shown, whatever they hold.
    static let sensitiveHeaderFragments = ["authorization", "token", "secret", "key", "password", "cookie", "auth"]

    /// One line — method, URL, headers and body — with credentials masked: sensitive headers keep
    /// only their scheme (`Bearer [redacted]`), and the secret is masked wherever else it occurs
    /// (Momence's `token` in the body). This is what dry-run logs.
    public var redactedDescription: String {
        if case .smtp(let submission) = transport { return smtpDescription(submission) }
        var text = "\(method.rawValue) \(scrubber.scrub(url))"
        let renderedHeaders = headers.map { name, value in "\(name): \(redactedHeaderValue(name: name, value: value))" }
        if !renderedHeaders.isEmpty { text += " [" + renderedHeaders.joined(separator: "; ") + "]" }
        if !body.isEmpty { text += " " + maskingRecipient(scrubber.scrub(bodyText)) }
        return text
    }

    /// `text` with a message's recipient phone masked in the spellings providers take (`+1201…`,
    /// form-encoded `%2B1201…`, WhatsApp's `1201…`), which the log's own phone masking (`+` and
    /// digits) does not all catch.
    private func maskingRecipient(_ text: String) -> String {
        guard let recipient = message?.recipient, recipient.hasPrefix("+"), recipient.count > 4 else { return text }
        let digits = String(recipient.dropFirst())
        let masked = String(repeating: "•", count: digits.count - 2) + digits.suffix(2)
        return text.replacingOccurrences(of: "%2B" + digits, with: "%2B" + masked)
            .replacingOccurrences(of: recipient, with: "+" + masked)
            .replacingOccurrences(of: digits, with: masked)
    }

    /// `SMTP user@host:port (TLS: …) from … to •••@example.com, subject …`: the server and
    /// sender, never the password; the recipient's local part masked.
    private func smtpDescription(_ submission: SMTPSubmission) -> String {
        let recipients = submission.message.to.map { address in
            guard let at = address.lastIndex(of: "@") else { return SecretScrubber.mask }
            return "•••" + address[at...]
        }
        let subject = scrubber.scrub(submission.message.subject)
        return "\(scrubber.scrub(submission.configuration.description)) to \(recipients.joined(separator: ", ")), subject \(subject.debugDescription)"
    }

    private func redactedHeaderValue(name: String, value: String) -> String {
        let lowered = name.lowercased()
        guard Self.sensitiveHeaderFragments.contains(where: lowered.contains) else { return scrubber.scrub(value) }
        if let space = value.firstIndex(of: " ") { return value[..<space] + " " + SecretScrubber.mask }
        return SecretScrubber.mask
    }

    /// The redacted form (``redactedDescription``).
    public var description: String { redactedDescription }
    /// The redacted form (``redactedDescription``).
    public var debugDescription: String { redactedDescription }
    /// Reflection (`dump`, test failure output) shows the redacted form only.
    public var customMirror: Mirror { Mirror(self, children: ["request": redactedDescription]) }
}
