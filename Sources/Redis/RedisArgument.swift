/// One binary-safe argument of a Redis command.
///
/// Commands are sent as `[RedisArgument]` through hiredis' `argv`/`argvlen` API, so
/// arguments may contain any byte, including NUL.
///
/// ```swift
/// try await client.send(["SET", "key", RedisArgument(bytes)])
/// ```
public struct RedisArgument: Sendable, Hashable {
    /// The exact bytes sent to the server.
    public var bytes: [UInt8]

    /// An argument holding the given bytes verbatim.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// An argument holding the UTF-8 encoding of `string`.
    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    /// An argument holding the UTF-8 encoding of `string`.
    public init(_ string: Substring) {
        self.bytes = Array(string.utf8)
    }

    /// An argument holding `value` in decimal, as Redis expects integers.
    public init(_ value: Int) {
        self.bytes = Array(String(value).utf8)
    }

    /// An argument holding `value` as text Redis parses as a float
    /// (`1.5`, `inf`, `-inf`, `1e-05`).
    public init(_ value: Double) {
        self.bytes = Array(value.description.utf8)
    }
}

extension RedisArgument: ExpressibleByStringLiteral {
    /// An argument from a string literal, e.g. `"GET"`.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}

extension RedisArgument: ExpressibleByIntegerLiteral {
    /// An argument from an integer literal, e.g. `100` in `["EXPIRE", key, 100]`.
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

extension RedisArgument: CustomStringConvertible {
    /// The argument as text when it is valid UTF-8, otherwise its length.
    public var description: String {
        String(validating: self.bytes, as: UTF8.self) ?? "<\(self.bytes.count) bytes>"
    }
}
