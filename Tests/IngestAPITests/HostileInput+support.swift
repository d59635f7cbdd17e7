import Foundation
import Glibc
import PostgresNIO
import Shared
import TestSupport

/// A plain TCP connection to the test server, for what an HTTP client library will not do:
/// declaring a body it never sends, chunked bodies of any size, trickling bytes, stalling.
/// Blocking socket calls with short timeouts; test use only. Call the blocking ones through
/// ``blocking(_:)``: on the cooperative pool (two threads on a two-core machine) they would
/// starve the server's own request handlers.
final class RawHTTPConnection: @unchecked Sendable {
    private let descriptor: Int32
    private var received: [UInt8] = []

    /// Connects to 127.0.0.1:`port`.
    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawHTTPError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(descriptor)
            throw RawHTTPError("connect() to port \(port) failed: errno \(errno)")
        }
    }

    deinit { close(descriptor) }

    /// Runs `body` on a thread of its own and waits for it without blocking a cooperative thread.
    func blocking<T: Sendable>(_ body: @escaping @Sendable (RawHTTPConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body(self) }) }
            thread.start()
        }
    }

    /// Sends all of `bytes`; throws when the server has closed or reset the connection.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw RawHTTPError("send failed after \(offset) bytes: errno \(errno)") }
            offset += sent
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Whether the server has already written something (an early answer) or closed.
    var hasAnswerOrClosed: Bool {
        var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&pollDescriptor, 1, 0) > 0
    }

    /// True when the server has closed the connection (EOF or reset), without waiting.
    var isClosedByServer: Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if count == 0 { return true }
        if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
        return false  // unread data; the peer may still be open
    }

    /// Reads one HTTP/1.1 response (status, lower-cased headers, body by Content-Length or to
    /// EOF), waiting at most `timeout` in all.
    func readResponse(timeout: Duration = .seconds(20)) throws -> RawHTTPResponse {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let response = try parse() { return response }
            let remaining = deadline - .now
            guard remaining > .zero else { throw RawHTTPError("no complete response within \(timeout); got \(received.count) bytes") }
            var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(
                min(1_000, max(1, remaining.components.seconds * 1_000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            )
            guard poll(&pollDescriptor, 1, milliseconds) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 {
                if let response = try parse(atEOF: true) { return response }
                throw RawHTTPError(
                    "connection closed (\(count), errno \(errno)) after \(received.count) bytes: \(String(decoding: received.prefix(200), as: UTF8.self))"
                )
            }
            received += buffer[..<count]
        }
    }

    private func parse(atEOF: Bool = false) throws -> RawHTTPResponse? {
        let separator = Array("\r\n\r\n".utf8)
        guard let headEnd = received.indices.first(where: { received[$0...].starts(with: separator) }) else { return nil }
        let head = String(decoding: received[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw RawHTTPError("bad status line \(head[0])") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = headEnd + separator.count
        if let length = headers["content-length"].flatMap(Int.init) {
            guard received.count >= bodyStart + length else { return nil }
            return RawHTTPResponse(status: status, headers: headers, body: Array(received[bodyStart..<bodyStart + length]))
        }
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            var body: [UInt8] = []
            var index = bodyStart
            while true {
                guard let lineEnd = received[index...].firstRange(of: Array("\r\n".utf8))?.lowerBound else { return nil }
                let sizeText = String(decoding: received[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { throw RawHTTPError("bad chunk size") }
                let dataStart = lineEnd + 2
                if size == 0 { return RawHTTPResponse(status: status, headers: headers, body: body) }
                guard received.count >= dataStart + size + 2 else { return nil }
                body += received[dataStart..<dataStart + size]
                index = dataStart + size + 2
            }
        }
        return atEOF ? RawHTTPResponse(status: status, headers: headers, body: Array(received[bodyStart...])) : nil
    }
}

/// What ``RawHTTPConnection/readResponse(timeout:)`` read.
struct RawHTTPResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]

    /// `error.message` of a JSON error body.
    var errorMessage: String? {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        return (object?["error"] as? [String: Any])?["message"] as? String
    }

    var errorCode: String? {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension RawHTTPConnection {
    /// Sends a request head with `Transfer-Encoding: chunked`, then `total` bytes of `filler` in
    /// chunks of `chunkSize`, stopping early as soon as the server answers (an early 413), then
    /// reads the answer. Returns it and how many body bytes were sent.
    func postChunked(
        _ path: String,
        headers: [String: String],
        filler: UInt8 = UInt8(ascii: "a"),
        prefix: [UInt8] = [],
        total: Int,
        chunkSize: Int = 64 * 1024
    ) throws -> (response: RawHTTPResponse, sent: Int) {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try send(head + "\r\n")
        var sent = 0
        var pending = prefix
        while sent < total, !hasAnswerOrClosed {
            let size = min(chunkSize, total - sent)
            if pending.count < size { pending += [UInt8](repeating: filler, count: size - pending.count) }
            let chunk = Array(pending.prefix(size))
            pending.removeFirst(size)
            do {
                try send(Array(String(chunk.count, radix: 16).utf8) + [13, 10] + chunk + [13, 10])
            } catch {
                break  // the server stopped reading: its answer is waiting
            }
            sent += size
        }
        if !hasAnswerOrClosed { try? send("0\r\n\r\n") }
        return (try readResponse(), sent)
    }
}

extension DataStores {
    /// The rows of a text query, each as an array of optional strings.
    func rows(_ query: PostgresQuery, columns: Int) async throws -> [[String?]] {
        var result: [[String?]] = []
        let rows = try await postgres.query(query, logger: TestEnvironment.logger)
        for try await row in rows {
            var values: [String?] = []
            var cells = row.makeIterator()
            for _ in 0..<columns {
                let cell = cells.next()
                values.append(try cell?.decode(String?.self))
            }
            result.append(values)
        }
        return result
    }
}
