import Foundation

/// What both email kinds (`sendgrid`, `smtp`) send, rendered for one lead: the sender, the
/// reply-to address, the subject and the text and HTML parts, each a ``MessageTemplate`` over the
/// lead's fields (the HTML part HTML-escaped, the others as they are).
///
/// Every message carries `List-Unsubscribe: <mailto:…?subject=unsubscribe>` to its reply-to (else
/// its sender) address, so a mail client's unsubscribe button sends the `unsubscribe` reply that
/// the `email` webhook preset turns into an opt-out.
struct EmailContent: Sendable, Hashable {
    /// The sender address (envelope and `From:`).
    var from: String
    /// The sender's display name.
    var fromName: String?
    /// Where replies go.
    var replyTo: String?
    /// The lead's address.
    var recipient: String
    /// The lead's name for `To:`; nil when it has none.
    var recipientName: String?
    /// The subject, on one line.
    var subject: String
    /// The plain-text part.
    var text: String
    /// The HTML part.
    var html: String?

    /// The settings both email kinds read.
    static let configFields = [
        DestinationConfigField("from", required: true, help: "The sender address, e.g. leads@example.com (SendGrid: a verified sender)."),
        DestinationConfigField("from_name", "fromName", help: "The sender's display name, e.g. the business's name."),
        DestinationConfigField("reply_to", "replyTo", help: "Where the lead's replies go: the address of the tenant's email webhook source."),
        DestinationConfigField("subject", required: true, help: "The subject, a Mustache template: {{first_name}}, about your request"),
        DestinationConfigField("text", required: true, help: "The plain-text body, a Mustache template over the lead's fields."),
        DestinationConfigField("html", help: "An HTML body besides the text (values are HTML-escaped)."),
    ]

    /// The content for `lead` under `config`.
    ///
    /// - Throws: ``DeliveryBuildError/noAddress(_:)`` when the lead has no email;
    ///   ``DeliveryBuildError/invalidLead(_:)`` when the text renders empty.
    init(lead: DeliveryLead, config: DestinationConfig) throws(DeliveryBuildError) {
        recipient = try MessageRecipient.email(of: lead)
        from = try config.requiredString("from")
        fromName = try config.string("from_name", "fromName")
        replyTo = try config.string("reply_to", "replyTo")
        let name = [lead.firstName, lead.lastName].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        recipientName = name.isEmpty ? nil : name.joined(separator: " ")
        subject = try MessageRecipient.render(try config.requiredString("subject"), field: "subject", lead: lead)
            .components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " ")
        text = try MessageRecipient.render(try config.requiredTemplate("text"), field: "text", lead: lead)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidLead("the email text renders empty for this lead")
        }
        html = try config.template("html").map { source throws(DeliveryBuildError) in
            try MessageRecipient.render(source, field: "html", lead: lead, mode: .html)
        }
    }

    /// `<mailto:reply-to-or-from?subject=unsubscribe>`.
    var listUnsubscribe: String { "<mailto:\(replyTo ?? from)?subject=unsubscribe>" }

    /// What the worker records for the conversation and the opt-out check, sent from ``from``; the
    /// address in lower case, as opt-outs keep email addresses (`Dana@Example.com` opted out as
    /// `dana@example.com`).
    var outboundMessage: OutboundMessage {
        OutboundMessage(channel: .email, recipient: recipient.lowercased(), sender: from, text: text)
    }

    /// The checks of ``configFields`` beyond shapes: addresses that are addresses, templates that
    /// name only known fields.
    static func validate(_ config: DestinationConfig) throws(DeliveryBuildError) {
        for (key, alternate) in [("from", "from"), ("reply_to", "replyTo")] {
            guard let address = try config.string(key, alternate) else { continue }
            guard EmailNormalizer.normalize(address) != nil, address.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw .configuration("\(key) must be a plain email address like leads@example.com (got \(address))")
            }
        }
        if let name = try config.string("from_name", "fromName"), name.contains(where: \.isNewline) {
            throw .configuration("from_name must be one line")
        }
        try MessageRecipient.validateTemplate(try config.requiredString("subject"), field: "subject")
        try MessageRecipient.validateTemplate(try config.requiredTemplate("text"), field: "text")
        if let html = try config.template("html") { try MessageRecipient.validateTemplate(html, field: "html", mode: .html) }
    }
}
