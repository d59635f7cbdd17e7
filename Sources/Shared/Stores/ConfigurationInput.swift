import Foundation
import PhoneNumbers
import PostgresNIO

/// Configuration values as people type them (`leadctl` options, dashboard forms), checked and
/// turned into domain values. Every problem is a ``StoreError/invalid(field:message:)`` naming
/// the field, so both front ends report it the same way.
public enum ConfigurationInput {
    /// Names of tenants, sources, destinations and keys: trimmed, 1–200 characters.
    public static func name(_ text: String?, field: String = "name") throws(StoreError) -> String {
        let name = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw StoreError.invalid(field: field, message: "is required") }
        guard name.count <= 200 else { throw StoreError.invalid(field: field, message: "is longer than 200 characters") }
        return name
    }

    /// A source kind (`api`, `form`, `csv`, `webhook`, `sheet`, `shopmonkey_poll`).
    public static func sourceKind(_ text: String?) throws(StoreError) -> SourceKind {
        guard let kind = text.flatMap(SourceKind.init(rawValue:)) else {
            throw StoreError.invalid(field: "kind", message: "must be api, form, csv, webhook, sheet or shopmonkey_poll")
        }
        return kind
    }

    /// A webhook preset for `kind`: required for webhooks, refused for the others; nil when not given.
    public static func preset(_ text: String?, kind: SourceKind) throws(StoreError) -> WebhookPreset? {
        let text = text.flatMap { $0.isEmpty ? nil : $0 }
        guard kind == .webhook else {
            if text != nil { throw StoreError.invalid(field: "preset", message: "only webhook sources take a preset") }
            return nil
        }
        guard let preset = text.flatMap(WebhookPreset.init(rawValue:)) else {
            throw StoreError.invalid(
                field: "preset",
                message: "must be generic, zapier, facebook, monday or shopmonkey; or twilio, whatsapp or email for replies and statuses"
            )
        }
        return preset
    }

    /// A destination kind registered in ``DestinationRegistry`` (`ghl`, `ghl_v1`, `momence`, `npa`, `http`).
    public static func destinationKind(_ text: String?) throws(StoreError) -> DestinationKind {
        guard let kind = text.flatMap(DestinationKind.init(rawValue:)) else {
            throw StoreError.invalid(field: "kind", message: "must be \(DestinationRegistry.kindList)")
        }
        return kind
    }

    /// A destination `config` checked by its kind's adapter (``DestinationAdapter/validate(config:)``):
    /// known fields only, each of the right shape, required ones present.
    public static func destinationConfig(_ config: [String: JSONValue], kind: DestinationKind) throws(StoreError) -> [String: JSONValue] {
        guard let adapter = DestinationRegistry.adapter(for: kind) else {
            throw StoreError.invalid(field: "kind", message: "must be \(DestinationRegistry.kindList)")
        }
        do throws(DeliveryBuildError) {
            try adapter.validate(config: config)
        } catch {
            throw StoreError.invalid(field: "config", message: error.reason)
        }
        return config
    }

    /// JSON text decoded as `type`; nil when `text` is nil or blank.
    public static func json<T: Decodable>(_ type: T.Type, _ text: String?, field: String) throws(StoreError) -> T? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            let shape = T.self == [String: String].self ? "an object of strings" : "an object"
            throw StoreError.invalid(field: field, message: "is not valid JSON of the expected shape (\(shape))")
        }
    }

    /// A base URL override: `http://` or `https://` with a host; nil when blank.
    public static func baseURL(_ text: String?) throws(StoreError) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let components = URLComponents(string: text), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
            components.host?.isEmpty == false
        else {
            throw StoreError.invalid(field: "base_url", message: "must be an http:// or https:// URL")
        }
        return text
    }

    /// A whole number in `range`; nil when blank.
    public static func integer(_ text: String?, field: String, in range: ClosedRange<Int>) throws(StoreError) -> Int? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw StoreError.invalid(field: field, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// `NAME=VALUE` secret assignments (`leadctl source … --secret`), checked against ``SourceSecrets/names``.
    public static func secretAssignments(_ pairs: [String]) throws(StoreError) -> [(name: String, value: String)] {
        var assignments: [(name: String, value: String)] = []
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw StoreError.invalid(field: "secret", message: "takes NAME=VALUE (got '\(pair.prefix(20))')") }
            assignments.append((String(parts[0]), String(parts[1])))
        }
        return assignments
    }
}

extension ConfigurationInput {
    /// An ISO 3166 region code for phone numbers (`US`, `GB`), upper-cased.
    public static func region(_ text: String?) throws(StoreError) -> String {
        let region = (text ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard PhoneNumberNormalizer.isKnownRegion(region) else {
            throw StoreError.invalid(field: "region", message: "'\(region)' is not a known ISO 3166 region code (US, GB, DE…)")
        }
        return region
    }

    /// An IANA time zone (`America/Chicago`).
    public static func timeZone(_ text: String?) throws(StoreError) -> String {
        let zone = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !zone.isEmpty, TimeZone(identifier: zone) != nil else {
            throw StoreError.invalid(field: "timezone", message: "'\(zone)' is not a known time zone (e.g. America/Chicago)")
        }
        return zone
    }

    /// An optional email address (notifications); nil when blank.
    public static func optionalEmail(_ text: String?, field: String) throws(StoreError) -> String? {
        guard let email = text?.trimmingCharacters(in: .whitespaces), !email.isEmpty else { return nil }
        if let problem = UserStore.problem(withEmail: email) { throw StoreError.invalid(field: field, message: problem) }
        return email
    }
}

extension StoreError {
    /// The store error behind `error`: itself, the one thrown inside a transaction, or a
    /// constraint violation about `entity` (also inside a transaction); nil for anything else.
    public static func unwrapping(_ error: any Error, entity: String) -> StoreError? {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError, let inner = error.closureError {
            return unwrapping(inner, entity: entity)
        }
        return translate(error, entity: entity) as? StoreError
    }
}
