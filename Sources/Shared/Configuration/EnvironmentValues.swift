import Foundation

/// Typed, validated access to process environment variables (12-factor configuration).
public struct EnvironmentValues: Sendable {
    /// The raw variables.
    public var values: [String: String]

    /// Reads from `values`; defaults to the process environment.
    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// The trimmed value of `name`, or nil when unset or blank.
    public func string(_ name: String) -> String? {
        guard let raw = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
        return raw
    }

    /// The value of `name`; throws a ``ConfigurationError`` describing `expected` when unset.
    public func required(_ name: String, expected: String) throws(ConfigurationError) -> String {
        guard let value = string(name) else {
            throw ConfigurationError(variable: name, expected: "is not set; expected \(expected)")
        }
        return value
    }

    /// An integer within `range`, or `defaultValue` when unset.
    public func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let raw = string(name) else { return defaultValue }
        guard let value = Int(raw), range.contains(value) else {
            throw ConfigurationError(variable: name, expected: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A boolean (`1/0`, `true/false`, `yes/no`, `on/off`), or `defaultValue` when unset.
    public func boolean(_ name: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let raw = string(name)?.lowercased() else { return defaultValue }
        switch raw {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, expected: "must be true or false")
        }
    }

    /// One of `choices` (case-insensitive), or `defaultValue` when unset.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: T) throws(ConfigurationError) -> T
    where T.RawValue == String {
        guard let raw = string(name)?.lowercased() else { return defaultValue }
        guard let value = T(rawValue: raw) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(variable: name, expected: "must be one of: \(options)")
        }
        return value
    }
}
