import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// An answer from ``TestClientProtocol/executePatiently(uri:method:headers:body:readTimeout:)``.
struct PatientResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    /// The body decoded as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }
}

extension TestClientProtocol {
    /// Sends one request to the live server on its own connection with a longer read timeout.
    ///
    /// The `.live` client of HummingbirdTesting gives up after a fixed 20 s without a byte. A request
    /// that does seconds of work on an idle machine (a 5,000-row CSV import in a debug build) can pass
    /// that on a loaded CI machine running the whole suite, so such requests use this instead.
    func executePatiently(
        uri: String,
        method: HTTPRequest.Method,
        headers: HTTPFields = [:],
        body: ByteBuffer? = nil,
        readTimeout: Duration = .seconds(180)
    ) async throws -> PatientResponse {
        let port = try #require(self.port, "a patient request needs a live server")
        let client = TestClient(host: "localhost", port: port, configuration: .init(timeout: readTimeout))
        client.connect()
        do {
            let request = TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body)
            let response = try await client.execute(request)
            try await client.shutdown()
            return PatientResponse(status: response.status, headers: response.headers, body: response.body ?? ByteBuffer())
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
