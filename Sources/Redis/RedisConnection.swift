import CHiredis

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking hiredis connection (`redisContext`).
///
/// Every method except ``isAlive()`` and ``close()`` blocks on socket I/O and must be
/// called on the client's `NIOThreadPool`, never on Swift's cooperative pool. A
/// connection is not thread-safe: the pool leases it to exactly one user at a time,
/// and the lease hand-off (under the pool's lock) orders the accesses, hence
/// `@unchecked Sendable`.
///
/// Once any I/O error occurs the connection is ``isBroken`` and must be discarded:
/// its position in the reply stream is unknown.
final class RedisConnection: @unchecked Sendable {
    private var context: UnsafeMutablePointer<redisContext>?
    /// `host:port` of the server, for error messages.
    let endpoint: String
    /// The socket timeout used for ordinary commands.
    let commandTimeout: Duration
    /// The socket timeout currently applied (longer while a blocking command runs).
    private var currentTimeout: Duration
    /// Whether an I/O or protocol error made this connection unusable.
    private(set) var isBroken = false

    private init(context: UnsafeMutablePointer<redisContext>, endpoint: String, commandTimeout: Duration) {
        self.context = context
        self.endpoint = endpoint
        self.commandTimeout = commandTimeout
        self.currentTimeout = commandTimeout
    }

    deinit {
        self.close()
    }

    /// Opens a TCP connection, then authenticates (`AUTH`) and selects the database
    /// (`SELECT`) as configured. Blocking: call on the thread pool.
    ///
    /// - Throws: ``RedisConnectionError`` — `.connectFailed` / `.timeout` for network
    ///   problems (worth retrying), `.setupFailed` when `AUTH` or `SELECT` is rejected.
    static func connect(_ configuration: RedisConfiguration) throws -> RedisConnection {
        let endpoint = configuration.endpoint
        guard
            let context = redisConnectWithTimeout(
                configuration.host,
                Int32(clamping: configuration.port),
                timeval(redisDuration: configuration.connectTimeout)
            )
        else {
            throw RedisConnectionError(.connectFailed, "cannot connect to \(endpoint): out of memory")
        }
        let savedErrno = errno
        if context.pointee.err != 0 {
            let reason = Self.errorString(context)
            redisFree(context)
            let lowered = reason.lowercased()
            if lowered.contains("refused") {
                throw RedisConnectionError(.connectFailed, "connection refused to \(endpoint)")
            }
            if savedErrno == ETIMEDOUT || lowered.contains("timed out") {
                throw RedisConnectionError(.timeout, "connect timeout after \(configuration.connectTimeout.redisSecondsText) to \(endpoint)")
            }
            throw RedisConnectionError(.connectFailed, "cannot connect to \(endpoint): \(reason)")
        }
        let connection = RedisConnection(context: context, endpoint: endpoint, commandTimeout: configuration.commandTimeout)
        _ = redisEnableKeepAlive(context)
        try connection.applyTimeout(configuration.commandTimeout)

        if let password = configuration.password {
            var command: [RedisArgument] = ["AUTH"]
            if let username = configuration.username {
                command.append(RedisArgument(username))
            }
            command.append(RedisArgument(password))
            if case .failure(let error) = try connection.execute(command) {
                connection.close()
                throw RedisConnectionError(.setupFailed, "authentication failed for \(endpoint): \(error.message)")
            }
        }
        if configuration.database != 0 {
            if case .failure(let error) = try connection.execute(["SELECT", RedisArgument(configuration.database)]) {
                connection.close()
                throw RedisConnectionError(.setupFailed, "SELECT \(configuration.database) failed on \(endpoint): \(error.message)")
            }
        }
        return connection
    }

    /// Sends one command and reads its reply. Blocking: call on the thread pool.
    ///
    /// - Returns: the decoded reply, or the server's error reply as `.failure`.
    /// - Throws: ``RedisConnectionError`` when the connection failed (it is then ``isBroken``).
    func execute(_ command: [RedisArgument]) throws -> Result<RedisValue, RedisServerError> {
        let context = try self.usableContext()
        if command.isEmpty {
            return .failure(RedisServerError(message: "ERR empty command (rejected by client)"))
        }
        let reply = Self.withArgv(command) { argc, argv, argvlen in
            redisCommandArgv(context, argc, argv, argvlen)
        }
        guard let reply else {
            throw self.failure()
        }
        defer { freeReplyObject(reply) }
        return Self.decode(reply.assumingMemoryBound(to: redisReply.self))
    }

    /// Queues one command in hiredis' output buffer without sending it; it is written by
    /// the next ``readReply()``. An empty command is not queued and returns `false`.
    func append(_ command: [RedisArgument]) throws -> Bool {
        let context = try self.usableContext()
        if command.isEmpty {
            return false
        }
        let status = Self.withArgv(command) { argc, argv, argvlen in
            redisAppendCommandArgv(context, argc, argv, argvlen)
        }
        guard status == REDIS_OK else {
            throw self.failure()
        }
        return true
    }

    /// Flushes queued commands and reads the next reply. Blocking: call on the thread pool.
    func readReply() throws -> Result<RedisValue, RedisServerError> {
        let context = try self.usableContext()
        var reply: UnsafeMutableRawPointer?
        guard redisGetReply(context, &reply) == REDIS_OK, let reply else {
            throw self.failure()
        }
        defer { freeReplyObject(reply) }
        return Self.decode(reply.assumingMemoryBound(to: redisReply.self))
    }

    /// Runs `body` with the socket timeout raised to `commandTimeout + extra` (for
    /// blocking commands such as `XREADGROUP … BLOCK`), restoring it afterwards.
    func withExtendedTimeout<T>(_ extra: Duration, _ body: () throws -> T) throws -> T {
        guard extra > .zero else {
            return try body()
        }
        try self.applyTimeout(self.commandTimeout + extra)
        let result: T
        do {
            result = try body()
        } catch {
            if !self.isBroken {
                try? self.applyTimeout(self.commandTimeout)
            }
            throw error
        }
        try self.applyTimeout(self.commandTimeout)
        return result
    }

    /// A non-blocking check that the server has not closed this idle connection
    /// (e.g. after a restart), so a command is never written into a dead socket.
    /// Safe to call from any thread while the connection is leased.
    func isAlive() -> Bool {
        guard let context, !self.isBroken, context.pointee.err == 0 else {
            return false
        }
        var byte: UInt8 = 0
        let received = recv(context.pointee.fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        if received == 0 {
            return false  // orderly shutdown by the server
        }
        if received > 0 {
            return false  // unsolicited bytes: the reply stream is out of sync
        }
        let code = errno
        return code == EAGAIN || code == EWOULDBLOCK || code == EINTR
    }

    /// Closes the socket and frees the context. Idempotent; never blocks for long
    /// (a plain `close(2)`).
    func close() {
        if let context {
            redisFree(context)
            self.context = nil
        }
        self.isBroken = true
    }

    // MARK: - Internals

    private func usableContext() throws -> UnsafeMutablePointer<redisContext> {
        guard let context, !self.isBroken else {
            throw RedisConnectionError(.closed, "connection to \(self.endpoint) is closed")
        }
        return context
    }

    private func applyTimeout(_ timeout: Duration) throws {
        let context = try self.usableContext()
        guard redisSetTimeout(context, timeval(redisDuration: timeout)) == REDIS_OK else {
            throw self.failure()
        }
        self.currentTimeout = timeout
    }

    /// Marks the connection broken and describes hiredis' error state.
    private func failure() -> RedisConnectionError {
        let savedErrno = errno
        self.isBroken = true
        guard let context else {
            return RedisConnectionError(.closed, "connection to \(self.endpoint) is closed")
        }
        let reason = Self.errorString(context)
        switch context.pointee.err {
        case REDIS_ERR_EOF:
            return RedisConnectionError(.closed, "server closed the connection (\(self.endpoint))")
        case REDIS_ERR_IO:
            if savedErrno == EAGAIN || savedErrno == EWOULDBLOCK || reason.contains("temporarily unavailable") {
                return RedisConnectionError(.timeout, "timeout after \(self.currentTimeout.redisSecondsText) waiting for \(self.endpoint)")
            }
            if savedErrno == ECONNRESET || savedErrno == EPIPE || reason.contains("reset by peer") || reason.contains("Broken pipe") {
                return RedisConnectionError(.closed, "server closed the connection (\(self.endpoint)): \(reason)")
            }
            return RedisConnectionError(.io, "I/O error talking to \(self.endpoint): \(reason)")
        case REDIS_ERR_PROTOCOL:
            return RedisConnectionError(.io, "protocol error from \(self.endpoint): \(reason)")
        default:
            return RedisConnectionError(.io, "error talking to \(self.endpoint): \(reason.isEmpty ? "unknown" : reason)")
        }
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// Lays the arguments out in one buffer and calls `body` with hiredis' `argc`,
    /// `argv` and `argvlen`, so arguments stay binary-safe (NUL bytes included).
    private static func withArgv<R>(
        _ command: [RedisArgument],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        var lengths: [Int] = []
        lengths.reserveCapacity(command.count)
        var flat: [UInt8] = []
        flat.reserveCapacity(command.reduce(0) { $0 + $1.bytes.count } + 1)
        for argument in command {
            flat.append(contentsOf: argument.bytes)
            lengths.append(argument.bytes.count)
        }
        flat.append(0)  // never empty, so the base address exists
        return flat.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                var argv: [UnsafePointer<CChar>?] = []
                argv.reserveCapacity(lengths.count)
                var offset = 0
                for length in lengths {
                    argv.append(chars.baseAddress.map { UnsafePointer($0 + offset) })
                    offset += length
                }
                return argv.withUnsafeMutableBufferPointer { argvBuffer in
                    lengths.withUnsafeBufferPointer { lengthBuffer in
                        // Both buffers are non-empty (command.count > 0), so the base addresses exist.
                        guard let argvBase = argvBuffer.baseAddress, let lengthBase = lengthBuffer.baseAddress else {
                            preconditionFailure("withArgv requires a non-empty command")
                        }
                        return body(Int32(clamping: lengths.count), argvBase, lengthBase)
                    }
                }
            }
        }
    }
}

extension timeval {
    /// A `timeval` for a (non-negative) Swift duration, at least 1 ms so it never
    /// means "no timeout".
    init(redisDuration duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var secs = max(0, seconds)
        var micros = max(0, attoseconds / 1_000_000_000_000)
        if secs == 0 && micros < 1000 {
            micros = 1000
        }
        if micros >= 1_000_000 {
            secs += micros / 1_000_000
            micros %= 1_000_000
        }
        self.init(tv_sec: .init(secs), tv_usec: .init(micros))
    }
}
