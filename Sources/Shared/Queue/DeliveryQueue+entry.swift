import Redis

extension DeliveryQueue {
    /// One stream entry as a worker sees it: the entry id (to acknowledge) and the delivery it names.
    public struct Entry: Sendable, Hashable {
        /// The stream entry id, e.g. `1700000000000-0`.
        public var id: String
        /// The delivery the entry names; nil for an entry that does not name one (junk, or an
        /// entry deleted while pending), which is acknowledged and dropped.
        public var deliveryId: Int64?

        /// An entry with the given id naming `deliveryId`.
        public init(id: String, deliveryId: Int64?) {
            self.id = id
            self.deliveryId = deliveryId
        }

        /// Reads the delivery id from the `d` field of a raw stream entry.
        init(_ raw: RedisStreamEntry) {
            self.init(id: raw.id, deliveryId: raw.string(DeliveryQueue.deliveryField).flatMap(Int64.init))
        }
    }

    /// The entry field holding the delivery id: the whole entry format is `d <id>`.
    static let deliveryField = "d"

    /// `XADD <stream> * d <id>`: the command that puts a delivery on the stream.
    func addCommand(_ deliveryId: Int64) -> [RedisArgument] {
        ["XADD", RedisArgument(keys.deliveryStream), "*", RedisArgument(Self.deliveryField), RedisArgument(String(deliveryId))]
    }
}
