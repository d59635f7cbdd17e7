import Foundation

/// Typed reads of a destination's non-secret `config`; every key may be spelled in camelCase or
/// snake_case (`locationId` / `location_id`). Malformed values are configuration errors.
struct DestinationConfig: Sendable {
    /// The raw config.
    let values: [String: JSONValue]
    /// The destination kind's display name, for messages.
    let kindName: String

    /// The config of `destination`, whose kind is called `kindName` in messages.
    init(_ destination: Destination, kindName: String) {
        self.init(destination.config, kindName: kindName)
    }

    /// `values` read for a destination kind called `kindName` in messages.
    init(_ values: [String: JSONValue], kindName: String) {
        self.values = values
        self.kindName = kindName
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
    func string(_ keys: String...) throws(DeliveryBuildError) -> String? { try string(keys) }

    /// ``string(_:)-variadic`` with the keys as an array.
    func string(_ keys: [String]) throws(DeliveryBuildError) -> String? {
        guard let value = value(keys) else { return nil }
        guard let text = value.scalarText?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw .configuration("\(kindName) config \(keys[0]) must be a string")
        }
        return text.isEmpty ? nil : text
    }

    /// A required string, else a configuration error naming the key.
    func requiredString(_ keys: String...) throws(DeliveryBuildError) -> String { try requiredString(keys) }

    /// ``requiredString(_:)-variadic`` with the keys as an array.
    func requiredString(_ keys: [String]) throws(DeliveryBuildError) -> String {
        guard let value = value(keys), let text = value.scalarText?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        else {
            throw .configuration("\(kindName) destination has no \(keys[0]) in its config")
        }
        return text
    }

    /// An integer given as a JSON number or digit string.
    func integer(_ keys: String...) throws(DeliveryBuildError) -> Int? { try integer(keys) }

    /// ``integer(_:)-variadic`` with the keys as an array.
    func integer(_ keys: [String]) throws(DeliveryBuildError) -> Int? {
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
    func strings(_ keys: String...) throws(DeliveryBuildError) -> [String] { try strings(keys) }

    /// ``strings(_:)-variadic`` with the keys as an array.
    func strings(_ keys: [String]) throws(DeliveryBuildError) -> [String] {
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
    func object(_ keys: String...) throws(DeliveryBuildError) -> [String: JSONValue] { try object(keys) }

    /// ``object(_:)-variadic`` with the keys as an array.
    func object(_ keys: [String]) throws(DeliveryBuildError) -> [String: JSONValue] {
        switch value(keys) {
        case nil: return [:]
        case .object(let members)?: return members
        default: throw .configuration("\(kindName) config \(keys[0]) must be an object")
        }
    }

    /// An object whose values are all strings, such as a field map.
    func stringMap(_ keys: String...) throws(DeliveryBuildError) -> [String: String]? { try stringMap(keys) }

    /// ``stringMap(_:)-variadic`` with the keys as an array.
    func stringMap(_ keys: [String]) throws(DeliveryBuildError) -> [String: String]? {
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

    /// `true` or `false`; nil when absent.
    func boolean(_ keys: [String]) throws(DeliveryBuildError) -> Bool? {
        guard let value = value(keys) else { return nil }
        guard case .bool(let flag) = value else { throw .configuration("\(kindName) config \(keys[0]) must be true or false") }
        return flag
    }
}
