import Foundation

/// What every messaging adapter needs from a lead: its address on the channel (or the reason it
/// has none, which skips the delivery) and its message text rendered from a template.
enum MessageRecipient {
    /// The lead's E.164 phone for `channel` (`SMS`, `WhatsApp`).
    ///
    /// - Throws: ``DeliveryBuildError/noAddress(_:)`` when the lead has no phone, or one that could
    ///   not be normalized (the lead's `phone_invalid` flag): the delivery is skipped with the reason.
    static func phone(of lead: DeliveryLead, channel: String) throws(DeliveryBuildError) -> String {
        if let phone = lead.phone, isE164(phone) { return phone }
        if let raw = lead.phoneRaw, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .noAddress("\(channel) needs a phone in E.164; the lead's phone could not be normalized")
        }
        throw .noAddress("\(channel) needs a phone; the lead has none")
    }

    /// The lead's email for an email channel.
    ///
    /// - Throws: ``DeliveryBuildError/noAddress(_:)`` when the lead has none.
    static func email(of lead: DeliveryLead) throws(DeliveryBuildError) -> String {
        guard let email = lead.email?.trimmingCharacters(in: .whitespaces), !email.isEmpty else {
            throw .noAddress("email needs an email address; the lead has none")
        }
        return email
    }

    /// Whether `text` is `+` and 8 to 15 digits, the first not 0.
    static func isE164(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 9, utf8.count <= 16, utf8[0] == UInt8(ascii: "+"), utf8[1] != UInt8(ascii: "0") else { return false }
        return utf8.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `source`, the template in config `field`, rendered for `lead`.
    ///
    /// - Throws: ``DeliveryBuildError/configuration(_:)`` when the saved template no longer compiles.
    static func render(
        _ source: String,
        field: String,
        lead: DeliveryLead,
        mode: MessageTemplate.Mode = .text
    )
        throws(DeliveryBuildError) -> String
    {
        do {
            return try MessageTemplate.compiled(source, field: field, mode: mode).render(
                MessageTemplateContext(lead: lead, tenantName: lead.tenantName)
            )
        } catch {
            throw .configuration(error.description)
        }
    }

    /// Checks a template when its destination is saved.
    ///
    /// - Throws: ``DeliveryBuildError/configuration(_:)`` naming the field and the problem.
    static func validateTemplate(_ source: String, field: String, mode: MessageTemplate.Mode = .text) throws(DeliveryBuildError) {
        do {
            _ = try MessageTemplate(source, field: field, mode: mode)
        } catch {
            throw .configuration(error.description)
        }
    }
}
