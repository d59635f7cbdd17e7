/// One entry of a Redis stream, as returned by `XREADGROUP` or `XAUTOCLAIM`.
public struct RedisStreamEntry: Sendable, Hashable {
    /// The stream (key) the entry belongs to.
    public var stream: String
    /// The entry ID, e.g. `1700000000000-0`.
    public var id: String
    /// The entry's fields and their raw values. Empty for an entry that was deleted
    /// while pending (Redis then returns the ID without fields).
    public var fields: [String: [UInt8]]

    /// An entry with the given stream, ID and fields.
    public init(stream: String, id: String, fields: [String: [UInt8]]) {
        self.stream = stream
        self.id = id
        self.fields = fields
    }

    /// The value of `field` as UTF-8 text, or `nil` if absent or not valid UTF-8.
    public func string(_ field: String) -> String? {
        self.fields[field].flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// Decodes `[id, [field, value, …]]` (or `[id, nil]`).
    static func decode(_ value: RedisValue, stream: String, command: String) throws -> RedisStreamEntry {
        guard let parts = value.array, parts.count == 2, let id = parts[0].string else {
            throw RedisUnexpectedReplyError(command: command, reply: value)
        }
        var fields: [String: [UInt8]] = [:]
        if let flat = parts[1].array {
            guard flat.count % 2 == 0 else {
                throw RedisUnexpectedReplyError(command: command, reply: value)
            }
            fields.reserveCapacity(flat.count / 2)
            for index in stride(from: 0, to: flat.count, by: 2) {
                guard let name = flat[index].bytes, let content = flat[index + 1].bytes else {
                    throw RedisUnexpectedReplyError(command: command, reply: value)
                }
                fields[String(decoding: name, as: UTF8.self)] = content
            }
        } else if !parts[1].isNull {
            throw RedisUnexpectedReplyError(command: command, reply: value)
        }
        return RedisStreamEntry(stream: stream, id: id, fields: fields)
    }
}
