import Foundation
import Shared

/// Typed reads of a destination's non-secret `config`; every key may be spelled in camelCase or
/// snake_case (`locationId` / `location_id`). Malformed values are configuration errors.
struct DestinationConfig: Sendable {
    /// The raw config.
    let values: [String: JSONValue]
    /// The destination kind's display name, for messages.
    let kindName: String

    /// The config of `destination`.
    init(_ destination: Destination) {
        values = destination.config
        kindName = destination.kind.displayName
    }

    /// The value under the first of `keys` present (JSON null counts as absent).
    func value(_ keys: String...) -> JSONValue? { value(keys) }

    /// The value under the first of `keys` present.
    func value(_ keys: [String]) -> JSONValue? {
        for key in keys {
            if let value = values[key], value != .null { return value }
        }
        return nil
    }

    /// A scalar as text (numbers without `.0`), trimmed; nil when absent or empty.
    func string(_ keys: String...) throws(DeliveryBuildError) -> String? {
        guard let value = value(keys) else { return nil }
        guard let text = value.scalarText?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw .configuration("\(kindName) config \(keys[0]) must be a string")
        }
        return text.isEmpty ? nil : text
    }

    /// A required string, else a configuration error naming the key.
    func requiredString(_ keys: String...) throws(DeliveryBuildError) -> String {
        guard let value = value(keys), let text = value.scalarText?.trimmingCharacters(in: .whitespacesAndNewlines),
              !text.isEmpty else {
            throw .configuration("\(kindName) destination has no \(keys[0]) in its config")
        }
        return text
    }

    /// An integer given as a JSON number or digit string.
    func integer(_ keys: String...) throws(DeliveryBuildError) -> Int? {
        guard let value = value(keys) else { return nil }
        switch value {
        case .number(let number): if let integer = number.intValue { return integer }
        case .string(let text):
            if let integer = Int(text.trimmingCharacters(in: .whitespaces)) { return integer }
        default: break
        }
        throw .configuration("\(kindName) config \(keys[0]) must be an integer")
    }

    /// A list of strings (a single string counts as a list of one).
    func strings(_ keys: String...) throws(DeliveryBuildError) -> [String] {
        switch value(keys) {
        case nil: return []
        case .string(let text)?: return text.isEmpty ? [] : [text]
        case .array(let items)?:
            var strings: [String] = []
            for item in items {
                guard let text = item.scalarText else { throw .configuration("\(kindName) config \(keys[0]) must list strings") }
                strings.append(text)
            }
            return strings
        default: throw .configuration("\(kindName) config \(keys[0]) must be a list of strings")
        }
    }

    /// An object (`{}` when absent).
    func object(_ keys: String...) throws(DeliveryBuildError) -> [String: JSONValue] {
        switch value(keys) {
        case nil: return [:]
        case .object(let members)?: return members
        default: throw .configuration("\(kindName) config \(keys[0]) must be an object")
        }
    }

    /// An object whose values are all strings, such as a field map.
    func stringMap(_ keys: String...) throws(DeliveryBuildError) -> [String: String]? {
        guard let value = value(keys) else { return nil }
        guard case .object(let members) = value else { throw .configuration("\(kindName) config \(keys[0]) must be an object") }
        var map: [String: String] = [:]
        for (key, member) in members {
            guard case .string(let text) = member else {
                throw .configuration("\(kindName) config \(keys[0]).\(key) must be a string")
            }
            map[key] = text
        }
        return map
    }
}

extension DestinationKind {
    /// A human name for messages: `GoHighLevel`, `GoHighLevel v1`, `Momence`, `NPA`, `HTTP`.
    public var displayName: String {
        switch self {
        case .ghl: "GoHighLevel"
        case .ghlV1: "GoHighLevel v1"
        case .momence: "Momence"
        case .npa: "NPA"
        case .http: "HTTP"
        }
    }
}
