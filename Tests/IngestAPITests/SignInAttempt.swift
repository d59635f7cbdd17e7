import HTTPTypes
import HummingbirdTesting
import IngestAPIApp
import NIOCore
import PostgresNIO
import Shared
import TestSupport

/// A `POST /login` as a script would send it: the double-submit form token is any value sent both
/// as the `lr_login` cookie and the `_csrf` field, so no `GET /login` is needed first.
enum SignInAttempt {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwardedHost = HTTPField.Name("X-Forwarded-Host")!

    /// Signs in as `email` with `password`, adding `headers`.
    static func post(
        _ client: any TestClientProtocol,
        email: String,
        password: String,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "lr_login=form-token"]
        headers.append(contentsOf: extra)
        let body = "_csrf=form-token&email=\(urlEncoded(email))&password=\(urlEncoded(password))&next=%2Fdashboard"
        return try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// The addresses the audit log recorded for `action`, oldest first.
    static func auditAddresses(_ stores: DataStores, action: String) async throws -> [String] {
        var addresses: [String] = []
        let query: PostgresQuery = "SELECT host(ip) FROM audit_log WHERE action = \(action) ORDER BY id"
        let rows = try await stores.postgres.query(query, logger: TestEnvironment.logger)
        for try await address in rows.decode(String?.self) { addresses.append(address ?? "") }
        return addresses
    }
}
