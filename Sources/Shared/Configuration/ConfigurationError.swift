/// A missing or malformed setting. Its description is one line that names the variable and
/// says what is expected; it never contains the offending value, which may be a secret.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The environment variable at fault, e.g. `DATABASE_URL`.
    public var variable: String
    /// What a valid value looks like.
    public var expected: String

    /// Creates an error for `variable` explaining what is `expected`.
    public init(variable: String, expected: String) {
        self.variable = variable
        self.expected = expected
    }

    public var description: String { "configuration error: \(variable) \(expected)" }
}
