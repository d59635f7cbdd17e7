import Foundation
import NIOHTTP1

/// What a destination answered: status, headers and the start of the body (the client reads at
/// most a bounded number of bytes).
public struct DeliveryResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The response headers.
    public var headers: HTTPHeaders
    /// The first bytes of the body.
    public var body: [UInt8]
    /// Whether the body was longer than what was read.
    public var bodyTruncated: Bool

    /// A response; `body` is what was read of the body.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], bodyTruncated: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
    }

    /// A response with a text body (tests, stand-ins).
    public init(status: Int, headers: HTTPHeaders = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }
}
