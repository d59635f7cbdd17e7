import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Shared
import TestSupport

/// One HTTP call to a stand-in, for the stand-ins' own tests: the status, the headers and the body
/// as JSON.
struct StandInHTTPCall {
    /// The HTTP status.
    var status: Int
    /// The answer's headers.
    var headers: [(name: String, value: String)]
    /// The body parsed as JSON (nil when it is not).
    var json: JSONValue?

    /// The first value of header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The JSON value at `path` (object keys, or array indices as digits); nil when absent.
    func field(_ path: String...) -> JSONValue? {
        var current = json
        for step in path {
            if case .array(let items)? = current, let index = Int(step) {
                current = items.indices.contains(index) ? items[index] : nil
            } else {
                current = current?.objectMembers?[step]
            }
        }
        return current
    }

    /// Sends `method` `url` with `bearer` as the token and `body` as JSON, within 5 s.
    static func send(_ method: String, _ url: String, bearer: String?, body: JSONValue? = nil) async throws -> StandInHTTPCall {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.compactJSONText))
        }
        let response = try await OutboundHTTPClient.allowingPrivateNetworksForTests.execute(request, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 4 * 1_024 * 1_024)
        return StandInHTTPCall(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            json: try? JSONValue.parse(bytes.readableBytesView)
        )
    }

    /// `text` percent-encoded for a URL path segment: everything but ASCII letters and digits.
    static func pathEncoded(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
