import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension DestinationClient {
    /// Executes `request` and reads at most ``Limits/maxResponseBytes`` of the body, all within
    /// `timeout`: the client's deadline bounds connecting and the response head, and an outer
    /// limit (``outerTimeoutGrace`` later) also bounds a body that stalls. A private target is
    /// refused (``OutboundRefusal``) unless `allowPrivateNetwork` or the deployment allows it.
    func fetch(_ request: DeliveryRequest, timeout: Duration, allowPrivateNetwork: Bool) async throws -> DeliveryResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        let prepared = outgoing
        let client = httpClient
        let maxBytes = limits.maxResponseBytes
        let deadline =
            NIODeadline.now()
            + .nanoseconds(
                Int64(timeout.components.seconds) * 1_000_000_000
                    + timeout.components.attoseconds / 1_000_000_000
            )
        return try await withTimeout(timeout + Self.outerTimeoutGrace, operation: "delivery request") {
            let response = try await client.execute(prepared, deadline: deadline, allowPrivateNetwork: allowPrivateNetwork)
            var body: [UInt8] = []
            var truncated = false
            for try await chunk in response.body {
                let room = maxBytes - body.count
                if chunk.readableBytes > room {
                    body.append(contentsOf: chunk.readableBytesView.prefix(room))
                    truncated = true
                    break
                }
                body.append(contentsOf: chunk.readableBytesView)
            }
            return DeliveryResponse(status: Int(response.status.code), headers: response.headers, body: body, bodyTruncated: truncated)
        }
    }

    /// How much later than the client's deadline the outer limit fires. The client retries a
    /// refused connect until its deadline and then fails with the connect error; firing together,
    /// the outer limit often won and a connection that wrote nothing read as a timeout (which may
    /// have sent the message: ``DeliveryOutcome/mayHaveBeenSent``).
    static let outerTimeoutGrace: Duration = .milliseconds(250)
}
