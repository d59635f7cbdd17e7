import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

/// A `twilio` webhook source, requests signed as Twilio signs them, and what they left in PostgreSQL.
enum TwilioHook {
    static let authToken = "twilio-auth-token-0123456789abcdef"
    static let publicBase = "https://relay.example.com"
    static let ourNumber = "+15005550006"

    /// A `twilio` source of `tenant` with `authToken` (none when nil) and `config` (by default a
    /// `public_url` under ``publicBase``, written with the `{token}` placeholder).
    static func source(
        _ stores: DataStores,
        _ tenant: IngestAPITestHarness.SeededTenant,
        authToken: String? = authToken,
        config: [String: JSONValue] = ["public_url": .string("\(publicBase)/hooks/{token}")]
    ) async throws -> Source {
        var secrets = SourceSecrets()
        try secrets.set("auth_token", authToken ?? "")
        return try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).create(
            tenantId: tenant.tenant.id,
            name: "twilio-\(UUID().uuidString.prefix(6))",
            kind: .webhook,
            preset: .twilio,
            config: config,
            sealedSecrets: authToken == nil ? nil : try secrets.sealed(with: SecretBox(currentKey: TestEnvironment.secretKey)),
            destinationIds: []
        )
    }

    /// The signer for requests to `source` (`query` appended as received).
    static func signer(_ source: Source, token: String = authToken, query: String? = nil) -> TwilioWebhookSigner {
        TwilioWebhookSigner(authToken: token, url: "\(publicBase)/hooks/\(source.token)" + (query.map { "?\($0)" } ?? ""))
    }

    /// POSTs `parameters` to `source`, signed by `signer` (unsigned when nil).
    static func post(
        _ client: some TestClientProtocol,
        _ source: Source,
        _ parameters: [(name: String, value: String)],
        signer: TwilioWebhookSigner?,
        query: String? = nil
    ) async throws -> TestResponse {
        let signed = (signer ?? Self.signer(source)).sign(parameters)
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if signer != nil { headers[HTTPField.Name("X-Twilio-Signature")!] = signed.signature }
        let uri = "/hooks/\(source.token)" + (query.map { "?\($0)" } ?? "")
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: signed.body))
    }

    /// A reply from `from` to our number, signed for `source`.
    static func reply(
        _ client: some TestClientProtocol,
        _ source: Source,
        sid: String,
        from: String,
        body: String
    ) async throws -> TestResponse {
        try await post(client, source, TwilioWebhookSigner.inboundSMS(sid: sid, from: from, to: ourNumber, body: body), signer: signer(source))
    }

    /// A status callback for `sid`, signed for `source`.
    static func status(
        _ client: some TestClientProtocol,
        _ source: Source,
        sid: String,
        status: String,
        errorCode: Int? = nil
    ) async throws -> TestResponse {
        try await post(client, source, TwilioWebhookSigner.statusCallback(sid: sid, status: status, errorCode: errorCode), signer: signer(source))
    }

    /// Ingests one lead for `tenant` through the lead API; returns its id.
    static func lead(_ client: some TestClientProtocol, _ tenant: IngestAPITestHarness.SeededTenant, _ json: String) async throws -> Int64 {
        let response = try await client.postJSON("/api/leads", key: tenant.apiKey, body: json)
        try #require(response.status == .accepted, "ingest failed: \(String(buffer: response.body))")
        let results = response.json["results"] as? [[String: Any]]
        return try #require((results?.first?["lead_id"] as? NSNumber)?.int64Value, "no lead id in \(String(buffer: response.body))")
    }

    /// An outbound message to `address` for `lead`, as the worker writes it when a provider accepted it.
    static func sent(_ stores: DataStores, tenant: UUID, lead: Int64?, address: String, sid: String) async throws {
        try await stores.postgres.execute(
            """
            INSERT INTO messages (tenant_id, lead_id, direction, channel, address, sender, provider_message_id, body, status, status_rank)
            VALUES (\(tenant), \(lead), 'out', 'sms', \(address), \(ourNumber), \(sid), 'hello', 'queued', 1)
            """,
            logger: TestEnvironment.logger
        )
    }

    /// The outcomes of every recorded event, oldest first.
    static func outcomes(_ stores: DataStores) async throws -> [String] {
        try await strings(stores, "SELECT outcome FROM inbound_events ORDER BY id")
    }

    /// The text values a query returns, in order (NULL as "").
    static func strings(_ stores: DataStores, _ query: PostgresQuery) async throws -> [String] {
        var values: [String] = []
        for try await value in try await stores.postgres.query(query, logger: TestEnvironment.logger).decode(String?.self) {
            values.append(value ?? "")
        }
        return values
    }
}

extension TestResponse {
    /// Whether this is Twilio's "take it, reply nothing": 200 with empty TwiML as `text/xml`.
    var isEmptyTwiML: Bool {
        status == .ok && headers[.contentType] == "text/xml"
            && String(buffer: body) == #"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"#
    }
}
