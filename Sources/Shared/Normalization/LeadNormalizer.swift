import Foundation
import PhoneNumbers

/// Validates and normalizes ``LeadInput``s for one tenant region. Every input path uses it, so a
/// lead means the same thing whether it came from a form, a CSV row, the API or a webhook.
public struct LeadNormalizer: Sendable {
    /// Limits on field lengths; longer values are rejected with a field error rather than cut.
    /// Counted in Unicode scalars (what PostgreSQL's `length()` counts), not `Character`s: one
    /// grapheme cluster can hold any number of combining marks, so a `Character` count bounds nothing.
    public static let maximumNameLength = 200
    public static let maximumNotesLength = 20_000
    public static let maximumPostalCodeLength = 32
    public static let maximumExternalIdLength = 200
    public static let maximumPhoneLength = 64

    /// ISO region used for national phone formats (the tenant's default region).
    public var defaultRegion: String
    private let phones = PhoneNumberNormalizer()

    /// Creates a normalizer for `defaultRegion` (e.g. `US`).
    public init(defaultRegion: String) {
        self.defaultRegion = defaultRegion.uppercased()
    }

    /// The normalized lead, or the field errors that make it unacceptable.
    ///
    /// A lead needs an email or a phone. A phone that cannot be normalized is kept raw and
    /// flagged (`phone_invalid`), never a reason to drop the lead; a malformed email is an error
    /// only when it was the sole way to reach the person, otherwise it is kept in `extra.email_raw`
    /// and flagged (`email_invalid`).
    public func normalize(_ input: LeadInput) -> Result<NormalizedLead, LeadRejection> {
        var errors: [FieldIssue] = []
        var warnings: [FieldIssue] = []
        var flags: [String] = []
        var extra = input.extra

        func text(_ field: LeadField, limit: Int) -> String? {
            guard let value = input.fields[field].flatMap({ NameNormalizer.clean($0) }) else { return nil }
            if value.unicodeScalars.count > limit {
                errors.append(FieldIssue(field: field.rawValue, message: "is longer than \(limit) characters"))
                return nil
            }
            return value
        }

        var firstName = text(.firstName, limit: Self.maximumNameLength)
        var lastName = text(.lastName, limit: Self.maximumNameLength)
        if firstName == nil, lastName == nil, let fullName = text(.fullName, limit: Self.maximumNameLength * 2) {
            let parts = NameNormalizer.split(fullName: fullName)
            firstName = parts.first
            lastName = parts.last
        }
        let postalCode = text(.postalCode, limit: Self.maximumPostalCodeLength)
        let externalId = text(.externalId, limit: Self.maximumExternalIdLength)
        var notes: String?
        if let rawNotes = input.fields[.notes]?.trimmingCharacters(in: .whitespacesAndNewlines), !rawNotes.isEmpty {
            if rawNotes.unicodeScalars.count > Self.maximumNotesLength {
                errors.append(FieldIssue(field: "notes", message: "is longer than \(Self.maximumNotesLength) characters"))
            } else {
                notes = rawNotes
            }
        }

        var phone: String?
        var phoneRaw: String?
        if let raw = input.fields[.phone].map({ String(Substring($0).trimmingWhitespace()) }), !raw.isEmpty {
            if raw.unicodeScalars.count > Self.maximumPhoneLength {
                errors.append(FieldIssue(field: "phone", message: "is longer than \(Self.maximumPhoneLength) characters"))
            } else {
                phoneRaw = raw
                switch phones.normalize(raw, defaultRegion: defaultRegion) {
                case .e164(let number): phone = number
                case .invalid(let reason):
                    flags.append("phone_invalid")
                    warnings.append(FieldIssue(field: "phone", message: "kept as typed; could not be normalized: \(reason)"))
                }
            }
        }

        var email: String?
        var emailError: FieldIssue?
        if let raw = input.fields[.email].map({ String(Substring($0).trimmingWhitespace()) }), !raw.isEmpty {
            if let normalized = EmailNormalizer.normalize(raw) {
                email = normalized
            } else {
                emailError = FieldIssue(field: "email", message: "is not a valid email address")
                if phoneRaw != nil {
                    flags.append("email_invalid")
                    extra["email_raw"] = .string(String(raw.prefix(320)))
                    warnings.append(FieldIssue(field: "email", message: "is not a valid email address; kept in extra.email_raw"))
                }
            }
        }
        if email == nil && phoneRaw == nil {
            errors.append(emailError ?? FieldIssue(field: "email", message: "a lead needs an email or a phone number"))
        }
        guard errors.isEmpty else { return .failure(LeadRejection(errors: errors)) }

        let hash = LeadDedupHash.compute(
            externalId: externalId,
            email: email,
            firstName: firstName,
            lastName: lastName,
            phone: phone ?? phoneRaw.map { $0.filter(\.isNumber) }
        )
        return .success(
            NormalizedLead(
                firstName: firstName,
                lastName: lastName,
                email: email,
                phone: phone,
                phoneRaw: phoneRaw,
                postalCode: postalCode,
                notes: notes,
                externalId: externalId,
                extra: extra,
                raw: input.raw,
                flags: flags,
                warnings: warnings,
                dedupHash: hash
            )
        )
    }
}

/// Why a lead was not accepted: one or more field errors.
public struct LeadRejection: Error, Sendable, Hashable {
    public var errors: [FieldIssue]

    /// Creates a rejection with `errors`.
    public init(errors: [FieldIssue]) {
        self.errors = errors
    }
}
