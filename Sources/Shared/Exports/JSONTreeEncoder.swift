import Foundation

/// Encodes an `Encodable` into a Foundation JSON tree (`[String: Any]`, `[Any]`, strings, numbers,
/// booleans, `NSNull`) for `JSONSerialization`, writing UUIDs in lower case (RFC 9562, as the
/// HTTP API, the dashboard and PostgreSQL print them; `JSONEncoder` writes `UUID.uuidString`,
/// upper case) and dates as ISO 8601.
public struct JSONTreeEncoder {
    /// An encoder.
    public init() {}

    /// The tree for `value`.
    public func tree(_ value: some Encodable) throws -> Any {
        try Self.box(value, codingPath: [])
    }

    /// `value` as pretty-printed JSON text with sorted keys (what `leadctl --json` prints).
    public func prettyText(_ value: some Encodable) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: try tree(value),
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]
        )
        return String(decoding: data, as: UTF8.self)
    }

    /// A leaf for the types with a fixed JSON form, else the value encoded through a ``Node``.
    static func box(_ value: some Encodable, codingPath: [any CodingKey]) throws -> Any {
        switch value {
        case let uuid as UUID: return uuid.uuidString.lowercased()
        case let date as Date: return date.formatted(.iso8601)
        case let url as URL: return url.absoluteString
        case let data as Data: return data.base64EncodedString()
        case let decimal as Decimal: return NSDecimalNumber(decimal: decimal)
        default:
            let node = Node(codingPath: codingPath)
            try value.encode(to: node)
            return node.value ?? [String: Any]()
        }
    }

    /// One value being encoded; containers write into it.
    final class Node: Encoder {
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        /// What was encoded: a leaf, or the object/array storage.
        var value: Any? {
            if let object { return object.members.mapValues { $0.value ?? NSNull() } }
            if let array { return array.elements.map { $0.value ?? NSNull() } }
            return leaf
        }
        var leaf: Any?
        var object: ObjectStorage?
        var array: ArrayStorage?

        init(codingPath: [any CodingKey]) {
            self.codingPath = codingPath
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if object == nil { object = ObjectStorage() }
            return KeyedEncodingContainer(Keyed<Key>(node: self, storage: object ?? ObjectStorage()))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if array == nil { array = ArrayStorage() }
            return Unkeyed(node: self, storage: array ?? ArrayStorage())
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: self) }
    }

    final class ObjectStorage { var members: [String: Node] = [:] }
    final class ArrayStorage { var elements: [Node] = [] }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let storage: ObjectStorage
        var codingPath: [any CodingKey] { node.codingPath }

        private func child(_ key: Key) -> Node {
            let child = Node(codingPath: codingPath + [key])
            storage.members[key.stringValue] = child
            return child
        }

        mutating func encodeNil(forKey key: Key) throws { child(key).leaf = NSNull() }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            child(key).leaf = try JSONTreeEncoder.box(value, codingPath: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type,
            forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            child(key).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { child(key).unkeyedContainer() }
        mutating func superEncoder() -> any Encoder {
            let child = Node(codingPath: codingPath)
            storage.members["super"] = child
            return child
        }
        mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let storage: ArrayStorage
        var codingPath: [any CodingKey] { node.codingPath }
        var count: Int { storage.elements.count }

        private func next() -> Node {
            let child = Node(codingPath: codingPath)
            storage.elements.append(child)
            return child
        }

        mutating func encodeNil() throws { next().leaf = NSNull() }
        mutating func encode<T: Encodable>(_ value: T) throws { next().leaf = try JSONTreeEncoder.box(value, codingPath: codingPath) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            next().container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
        mutating func superEncoder() -> any Encoder { next() }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey] { node.codingPath }

        mutating func encodeNil() throws { node.leaf = NSNull() }
        mutating func encode(_ value: Bool) throws { node.leaf = value }
        mutating func encode(_ value: String) throws { node.leaf = value }
        mutating func encode(_ value: Double) throws { node.leaf = value }
        mutating func encode(_ value: Float) throws { node.leaf = Double(value) }
        mutating func encode(_ value: Int) throws { node.leaf = value }
        mutating func encode(_ value: Int64) throws { node.leaf = value }
        mutating func encode(_ value: UInt64) throws { node.leaf = value }
        mutating func encode<T: Encodable>(_ value: T) throws { node.leaf = try JSONTreeEncoder.box(value, codingPath: codingPath) }
    }
}
