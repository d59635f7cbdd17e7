/// Thin typed wrappers over the stream commands (`XADD`, `XGROUP`, `XREADGROUP`, …). They work
/// on a ``RedisClient`` and on a ``RedisDedicatedConnection`` alike.
extension RedisCommandSending {
    /// `XADD stream [MAXLEN ~ n] id field value …` — appends an entry and returns its ID.
    ///
    /// - Parameters:
    ///   - id: the entry ID; `*` (the default) lets the server assign one.
    ///   - maxLength: when set, trims the stream to about this many entries (`MAXLEN ~`).
    @discardableResult
    public func xadd(
        _ stream: String,
        id: String = "*",
        fields: KeyValuePairs<String, RedisArgument>,
        maxLength: Int? = nil
    ) async throws -> String {
        try await self.xadd(stream, id: id, fields: fields.map { ($0.key, $0.value) }, maxLength: maxLength)
    }

    /// `XADD` with fields given as an ordered array of pairs.
    @discardableResult
    public func xadd(
        _ stream: String,
        id: String = "*",
        fields: [(String, RedisArgument)],
        maxLength: Int? = nil
    ) async throws -> String {
        var command: [RedisArgument] = ["XADD", RedisArgument(stream)]
        if let maxLength {
            command += ["MAXLEN", "~", RedisArgument(maxLength)]
        }
        command.append(RedisArgument(id))
        for (name, value) in fields {
            command.append(RedisArgument(name))
            command.append(value)
        }
        let reply = try await self.send(command)
        guard let entryID = reply.string else {
            throw RedisUnexpectedReplyError(command: "XADD", reply: reply)
        }
        return entryID
    }

    /// `XGROUP CREATE stream group id [MKSTREAM]`.
    ///
    /// - Parameters:
    ///   - id: `$` (default) to deliver only new entries, `0` to deliver the whole stream.
    ///   - mkstream: create the stream if it does not exist (default `true`).
    /// - Returns: `true` if the group was created, `false` if it already existed
    ///   (`BUSYGROUP` is tolerated).
    @discardableResult
    public func xgroupCreate(_ stream: String, group: String, id: String = "$", mkstream: Bool = true) async throws -> Bool {
        var command: [RedisArgument] = ["XGROUP", "CREATE", RedisArgument(stream), RedisArgument(group), RedisArgument(id)]
        if mkstream {
            command.append("MKSTREAM")
        }
        do {
            _ = try await self.send(command)
            return true
        } catch let error as RedisServerError where error.code == "BUSYGROUP" {
            return false
        }
    }

    /// `XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS s… id…`.
    ///
    /// - Parameters:
    ///   - id: `>` (default) for new entries; `0` to re-read this consumer's pending entries.
    ///   - blockMilliseconds: wait up to this long for entries (must be > 0; `BLOCK 0`,
    ///     "forever", is refused because it cannot be bounded by a timeout). The socket
    ///     timeout is extended by it; use a ``RedisDedicatedConnection`` for long blocks.
    /// - Returns: the entries of all streams, in reply order; empty when the block timed out.
    public func xreadgroup(
        group: String,
        consumer: String,
        streams: [String],
        id: String = ">",
        count: Int? = nil,
        blockMilliseconds: Int? = nil,
        noAck: Bool = false
    ) async throws -> [RedisStreamEntry] {
        var command: [RedisArgument] = ["XREADGROUP", "GROUP", RedisArgument(group), RedisArgument(consumer)]
        if let count {
            command += ["COUNT", RedisArgument(count)]
        }
        if let blockMilliseconds {
            guard blockMilliseconds > 0 else {
                throw RedisConnectionError(.invalidUse, "XREADGROUP BLOCK must be positive; BLOCK 0 (forever) is not supported")
            }
            command += ["BLOCK", RedisArgument(blockMilliseconds)]
        }
        if noAck {
            command.append("NOACK")
        }
        command.append("STREAMS")
        command += streams.map { RedisArgument($0) }
        command += Array(repeating: RedisArgument(id), count: streams.count)

        let reply: RedisValue
        if let blockMilliseconds {
            reply = try await self.sendBlocking(command, blockingTime: .milliseconds(blockMilliseconds))
        } else {
            reply = try await self.send(command)
        }
        if reply.isNull {
            return []
        }
        guard let perStream = reply.array else {
            throw RedisUnexpectedReplyError(command: "XREADGROUP", reply: reply)
        }
        var entries: [RedisStreamEntry] = []
        for streamReply in perStream {
            guard let pair = streamReply.array, pair.count == 2, let name = pair[0].string, let items = pair[1].array else {
                throw RedisUnexpectedReplyError(command: "XREADGROUP", reply: reply)
            }
            for item in items {
                entries.append(try RedisStreamEntry.decode(item, stream: name, command: "XREADGROUP"))
            }
        }
        return entries
    }

    /// `XACK stream group id…` — returns how many entries were acknowledged.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else {
            return 0
        }
        let reply = try await self.send(["XACK", RedisArgument(stream), RedisArgument(group)] + ids.map { RedisArgument($0) })
        guard let acknowledged = reply.int else {
            throw RedisUnexpectedReplyError(command: "XACK", reply: reply)
        }
        return acknowledged
    }

    /// `XAUTOCLAIM stream group consumer min-idle start [COUNT n]` — transfers entries
    /// pending for at least `minIdleMilliseconds` to `consumer`.
    ///
    /// - Returns: the cursor to pass as `start` next time (`0-0` when the scan is
    ///   complete) and the claimed entries. Entries deleted from the stream while pending
    ///   are dropped from the pending list by the server and not returned.
    public func xautoclaim(
        _ stream: String,
        group: String,
        consumer: String,
        minIdleMilliseconds: Int,
        start: String = "0-0",
        count: Int? = nil
    ) async throws -> (nextStart: String, entries: [RedisStreamEntry]) {
        var command: [RedisArgument] = [
            "XAUTOCLAIM", RedisArgument(stream), RedisArgument(group), RedisArgument(consumer),
            RedisArgument(minIdleMilliseconds), RedisArgument(start),
        ]
        if let count {
            command += ["COUNT", RedisArgument(count)]
        }
        let reply = try await self.send(command)
        guard let parts = reply.array, parts.count >= 2, let next = parts[0].string, let items = parts[1].array else {
            throw RedisUnexpectedReplyError(command: "XAUTOCLAIM", reply: reply)
        }
        var entries: [RedisStreamEntry] = []
        entries.reserveCapacity(items.count)
        for item in items where !item.isNull {
            entries.append(try RedisStreamEntry.decode(item, stream: stream, command: "XAUTOCLAIM"))
        }
        return (next, entries)
    }
}
