import Foundation

/// The values a message template is rendered with: one lead's fields plus the names of its
/// source and tenant. Personal data: never log it.
///
/// A value that is nil, empty or only white space counts as absent, so a template's fallback
/// (`{{^first_name}}שלום{{/first_name}}`) is used for it.
public struct MessageTemplateContext: Sendable, Hashable {
    /// The lead's first name.
    public var firstName: String?
    /// The lead's last name.
    public var lastName: String?
    /// The lead's email.
    public var email: String?
    /// The lead's phone, as it should appear in the text (E.164 for a normalized lead).
    public var phone: String?
    /// The lead's postal or ZIP code.
    public var postalCode: String?
    /// The lead's notes or message.
    public var notes: String?
    /// The name of the source the lead came in through.
    public var sourceName: String?
    /// The name of the lead's tenant (the business the message speaks for).
    public var tenantName: String?
    /// The lead's `extra` object; a scalar member renders as its text, `null`, arrays and objects
    /// as absent.
    public var extra: [String: JSONValue]

    /// A context from plain values; every one is optional.
    public init(
        firstName: String? = nil,
        lastName: String? = nil,
        email: String? = nil,
        phone: String? = nil,
        postalCode: String? = nil,
        notes: String? = nil,
        sourceName: String? = nil,
        tenantName: String? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.postalCode = postalCode
        self.notes = notes
        self.sourceName = sourceName
        self.tenantName = tenantName
        self.extra = extra
    }

    /// The context for a lead the worker is delivering; `tenantName` comes from the tenant row,
    /// which ``DeliveryLead`` does not carry.
    public init(lead: DeliveryLead, tenantName: String?) {
        self.init(
            firstName: lead.firstName,
            lastName: lead.lastName,
            email: lead.email,
            phone: lead.phone,
            postalCode: lead.postalCode,
            notes: lead.notes,
            sourceName: lead.sourceName,
            tenantName: tenantName,
            extra: lead.extra
        )
    }

    /// The text `field` renders as; nil when the value is absent (nil, empty or white space).
    public func value(of field: MessageTemplateField) -> String? {
        switch field {
        case .firstName: Self.present(firstName)
        case .lastName: Self.present(lastName)
        case .fullName: fullName
        case .email: Self.present(email)
        case .phone: Self.present(phone)
        case .postalCode: Self.present(postalCode)
        case .notes: Self.present(notes)
        case .sourceName: Self.present(sourceName)
        case .tenantName: Self.present(tenantName)
        }
    }

    /// The text `{{extra.<key>}}` renders as; nil when the member is missing, not a scalar, or blank.
    public func extraValue(_ key: String) -> String? {
        Self.present(extra[key]?.scalarText)
    }

    /// The present first and last names joined by a space; nil when neither is present.
    private var fullName: String? {
        let parts = [firstName, lastName].compactMap(Self.present)
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// `text` unchanged (byte for byte) unless it is nil, empty or only white space.
    private static func present(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return text
    }
}
