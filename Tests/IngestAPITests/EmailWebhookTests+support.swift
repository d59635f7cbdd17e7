import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

/// An `email` webhook source and SendGrid Inbound Parse posts to it (leads and queries: ``TwilioHook``).
enum EmailHook {
    /// Our inbound address, the envelope's `to`.
    static let inboundAddress = "replies@inbound.relay.example.com"

    /// An `email` source of `tenant`: no secrets (Inbound Parse signs nothing).
    static func source(_ stores: DataStores, _ tenant: IngestAPITestHarness.SeededTenant) async throws -> Source {
        try await SourceStore(client: stores.postgres, logger: TestEnvironment.logger).create(
            tenantId: tenant.tenant.id,
            name: "email-\(UUID().uuidString.prefix(6))",
            kind: .webhook,
            preset: .email,
            config: [:],
            sealedSecrets: nil,
            destinationIds: []
        )
    }

    /// POSTs `form` to `source` as `multipart/form-data`.
    static func post(_ client: some TestClientProtocol, _ source: Source, _ form: InboundParseFixture) async throws -> TestResponse {
        try await post(client, source, contentType: form.contentType, body: form.body)
    }

    /// POSTs `body` to `source` with `contentType`.
    static func post(_ client: some TestClientProtocol, _ source: Source, contentType: String, body: [UInt8]) async throws -> TestResponse {
        try await client.execute(
            uri: "/hooks/\(source.token)",
            method: .post,
            headers: [.contentType: contentType],
            body: ByteBuffer(bytes: body)
        )
    }

    /// The UTF-8 bytes of `column` (`subject` or `body`) of the inbound message `providerId`, as PostgreSQL holds them.
    static func bytes(_ stores: DataStores, _ column: String, of providerId: String) async throws -> [UInt8] {
        let query: PostgresQuery =
            column == "subject"
            ? "SELECT convert_to(subject, 'UTF8') FROM messages WHERE provider_message_id = \(providerId)"
            : "SELECT convert_to(body, 'UTF8') FROM messages WHERE provider_message_id = \(providerId)"
        for try await bytes in try await stores.postgres.query(query, logger: TestEnvironment.logger).decode(ByteBuffer.self) {
            return Array(bytes.readableBytesView)
        }
        return []
    }

    /// An outbound email to `address` for `lead`, as an email destination writes it when the provider accepted it.
    static func sent(_ stores: DataStores, tenant: UUID, lead: Int64, address: String) async throws {
        try await stores.postgres.execute(
            """
            INSERT INTO messages (tenant_id, lead_id, direction, channel, address, sender, body, status, status_rank)
            VALUES (\(tenant), \(lead), 'out', 'email', \(address), \(inboundAddress), 'welcome', 'sent', 3)
            """,
            logger: TestEnvironment.logger
        )
    }

    /// An operator's replay of event `eventId` of `tenant` (no signature check); its HTTP status.
    static func replay(_ eventId: Int64, _ tenant: IngestAPITestHarness.SeededTenant, _ stores: DataStores) async throws -> Int {
        let secretBox = try SecretBox(currentKey: TestEnvironment.secretKey)
        return try await InboundEventReplay(postgres: stores.postgres, secretBox: secretBox, logger: TestEnvironment.logger)
            .replay(eventId, tenantId: tenant.tenant.id).status
    }

    /// The id of one delivery of `lead`.
    static func delivery(of lead: Int64, _ stores: DataStores) async throws -> Int64 {
        Int64(try await stores.count("SELECT min(id)::int FROM deliveries WHERE lead_id = \(lead)"))
    }
}
