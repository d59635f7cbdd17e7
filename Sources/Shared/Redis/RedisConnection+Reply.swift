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
        case REDIS_REPLY_ARRAY, 9 /* MAP */, 10 /* SET */, 11 /* ATTR */, 12 /* PUSH */:
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
        case 7 /* DOUBLE */, 13 /* BIGNUM */:
            return .simpleString(String(decoding: self.bytes(node), as: UTF8.self))
        case 8 /* BOOL */:
            return .integer(node.integer != 0 ? 1 : 0)
        case 14 /* VERB */:
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
