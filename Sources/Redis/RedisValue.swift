/// A decoded Redis reply.
///
/// Replies are decoded from hiredis' `redisReply` tree (RESP2). Error replies never
/// appear as a value: they surface as ``RedisServerError`` (thrown by
/// ``RedisClient/send(_:)``, or as `.failure` in pipeline results).
public enum RedisValue: Sendable, Hashable {
    /// A status reply such as `OK` or `PONG` (RESP `+`).
    case simpleString(String)
    /// A binary-safe bulk string (RESP `$`).
    case bulkString([UInt8])
    /// An integer reply (RESP `:`).
    case integer(Int)
    /// An array reply (RESP `*`); nested arrays are supported.
    case array([RedisValue])
    /// A null bulk string or null array (RESP `$-1` / `*-1`).
    case null
}

extension RedisValue {
    /// The reply as UTF-8 text: a simple string, a bulk string (decoded as UTF-8,
    /// `nil` when the bytes are not valid UTF-8) or an integer rendered in decimal.
    public var string: String? {
        switch self {
        case .simpleString(let text):
            return text
        case .bulkString(let bytes):
            return String(validating: bytes, as: UTF8.self)
        case .integer(let value):
            return String(value)
        case .array, .null:
            return nil
        }
    }

    /// The reply as an integer: an integer reply, or a simple/bulk string holding a
    /// decimal integer (as returned by `GET` of a counter).
    public var int: Int? {
        switch self {
        case .integer(let value):
            return value
        case .simpleString, .bulkString:
            return self.string.flatMap { Int($0) }
        case .array, .null:
            return nil
        }
    }

    /// The reply's elements when it is an array reply.
    public var array: [RedisValue]? {
        if case .array(let elements) = self {
            return elements
        }
        return nil
    }

    /// The reply's raw bytes: a bulk string as-is, a simple string or integer as its
    /// UTF-8 text.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes):
            return bytes
        case .simpleString(let text):
            return Array(text.utf8)
        case .integer(let value):
            return Array(String(value).utf8)
        case .array, .null:
            return nil
        }
    }

    /// Whether the reply is ``null``.
    public var isNull: Bool {
        self == .null
    }
}

extension RedisValue: CustomStringConvertible {
    /// A short human-readable rendering, for logs and test failures.
    public var description: String {
        switch self {
        case .simpleString(let text):
            return "+\(text)"
        case .bulkString(let bytes):
            if let text = String(validating: bytes, as: UTF8.self) {
                return "\"\(text)\""
            }
            return "<\(bytes.count) bytes>"
        case .integer(let value):
            return ":\(value)"
        case .array(let elements):
            return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .null:
            return "(nil)"
        }
    }
}
