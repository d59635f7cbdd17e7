import CHiredis

extension RedisConnection {
    /// Decodes a hiredis reply tree into a ``RedisValue``.
    ///
    /// A top-level error reply becomes `.failure`. An error nested inside an array
    /// (e.g. in an `EXEC` result) also fails the whole reply, with the first nested
    /// message, since ``RedisValue`` has no error case. RESP3 types (hiredis ≥ 1.0,
    /// only after `HELLO 3`, which this client never sends) are mapped defensively:
    /// doubles and big numbers to their text, booleans to 0/1, maps/sets/pushes to arrays.
    static func decode(_ reply: UnsafePointer<redisReply>) -> Result<RedisValue, RedisServerError> {
        do {
            return .success(try self.decodeValue(reply))
        } catch {
            return .failure(error)
        }
    }

    private static func decodeValue(_ reply: UnsafePointer<redisReply>) throws(RedisServerError) -> RedisValue {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            return .bulkString(self.bytes(node))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: self.bytes(node), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int(truncatingIfNeeded: node.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ERROR:
            throw RedisServerError(message: String(decoding: self.bytes(node), as: UTF8.self))
        case REDIS_REPLY_ARRAY, RESP3Reply.map, RESP3Reply.set, RESP3Reply.attribute, RESP3Reply.push:
            var elements: [RedisValue] = []
            elements.reserveCapacity(node.elements)
            if let children = node.element {
                for index in 0..<node.elements {
                    if let child = children[index] {
                        elements.append(try self.decodeValue(child))
                    } else {
                        elements.append(.null)
                    }
                }
            }
            return .array(elements)
        case RESP3Reply.double, RESP3Reply.bigNumber:
            return .simpleString(String(decoding: self.bytes(node), as: UTF8.self))
        case RESP3Reply.boolean:
            return .integer(node.integer != 0 ? 1 : 0)
        case RESP3Reply.verbatim:
            return .bulkString(self.bytes(node))
        default:
            throw RedisServerError(message: "ERR unsupported reply type \(node.type) (decoded by client)")
        }
    }

    private static func bytes(_ node: redisReply) -> [UInt8] {
        guard let str = node.str, node.len > 0 else {
            return []
        }
        return Array(UnsafeRawBufferPointer(start: str, count: Int(node.len)))
    }
}

/// hiredis ≥ 1.0's RESP3 reply types (`REDIS_REPLY_DOUBLE` …), which the hiredis headers Debian
/// ships (0.14) do not declare.
private enum RESP3Reply {
    static let double: Int32 = 7
    static let boolean: Int32 = 8
    static let map: Int32 = 9
    static let set: Int32 = 10
    static let attribute: Int32 = 11
    static let push: Int32 = 12
    static let bigNumber: Int32 = 13
    static let verbatim: Int32 = 14
}
