import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

/// A `whatsapp` webhook source and requests signed as Meta signs them (leads and queries: ``TwilioHook``).
enum WhatsAppHook {
    static let appSecret = "meta-app-secret-0123456789abcdef"
    static let verifyToken = "verify-whatsapp-1"
    static let phoneNumberId = "106540352242922"

    /// A `whatsapp` source of `tenant` with `appSecret` (none when nil) and the verify token.
    static func source(_ stores: DataStores, _ tenant: IngestAPITestHarness.SeededTenant, appSecret: String? = appSecret) async throws -> Source {
        var secrets = SourceSecrets()
        try secrets.set("verify_token", verifyToken)
        if let appSecret { try secrets.set("app_secret", appSecret) }
        return try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).create(
            tenantId: tenant.tenant.id,
            name: "whatsapp-\(UUID().uuidString.prefix(6))",
            kind: .webhook,
            preset: .whatsapp,
            config: [:],
            sealedSecrets: try secrets.sealed(with: SecretBox(currentKey: TestEnvironment.secretKey)),
            destinationIds: []
        )
    }

    /// POSTs `body` to `source` with `signature` as `X-Hub-Signature-256` (by default Meta's, none when nil).
    static func post(_ client: some TestClientProtocol, _ source: Source, _ body: [UInt8], signature: String?? = .none) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        let value = signature ?? MetaWebhookSigner(appSecret: appSecret).signature(of: body)
        if let value { headers[HTTPField.Name("X-Hub-Signature-256")!] = value }
        return try await client.execute(uri: "/hooks/\(source.token)", method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    /// A signed text message `text` with id `wamid` from `phone` (E.164).
    static func reply(_ client: some TestClientProtocol, _ source: Source, wamid: String, phone: String, text: String) async throws -> TestResponse {
        let body = MetaWebhookSigner.textMessage(phoneNumberId: phoneNumberId, waId: String(phone.dropFirst()), id: wamid, text: text)
        return try await post(client, source, body)
    }

    /// Signed statuses, in order, in one notification.
    static func statuses(
        _ client: some TestClientProtocol,
        _ source: Source,
        _ items: [(id: String, status: String, errorCode: Int?)]
    ) async throws -> TestResponse {
        try await post(client, source, MetaWebhookSigner.statuses(phoneNumberId: phoneNumberId, items))
    }

    /// The UTF-8 bytes of the stored body of message `wamid`, as PostgreSQL holds them.
    static func bodyBytes(_ stores: DataStores, _ wamid: String) async throws -> [UInt8] {
        let rows = try await stores.postgres.query(
            "SELECT convert_to(body, 'UTF8') FROM messages WHERE provider_message_id = \(wamid)",
            logger: TestEnvironment.logger
        )
        for try await bytes in rows.decode(ByteBuffer.self) { return Array(bytes.readableBytesView) }
        return []
    }

    /// An outbound WhatsApp message `wamid` to `address` for `lead`, as the worker writes it when Meta accepted it.
    static func sent(_ stores: DataStores, tenant: UUID, lead: Int64?, address: String, wamid: String) async throws {
        try await stores.postgres.execute(
            """
            INSERT INTO messages (tenant_id, lead_id, direction, channel, address, sender, provider_message_id, body, status, status_rank)
            VALUES (\(tenant), \(lead), 'out', 'whatsapp', \(address), \(phoneNumberId), \(wamid), 'welcome', 'accepted', 1)
            """,
            logger: TestEnvironment.logger
        )
    }
}

extension TestResponse {
    /// Whether this is the answer Meta gets for a taken notification: 200 with `{}`.
    var isEmptyJSONObject: Bool {
        status == .ok && headers[.contentType]?.hasPrefix("application/json") == true && String(buffer: body) == "{}"
    }
}
