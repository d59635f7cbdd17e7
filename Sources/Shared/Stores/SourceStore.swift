import Foundation
import Logging
import PostgresNIO

/// Sources and their destination links in PostgreSQL.
public struct SourceStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        s.id, s.tenant_id, s.name, s.kind, s.preset, s.token, s.config::text, s.field_map::text,
        s.secrets_ciphertext IS NOT NULL, s.notification_email, s.enabled, s.created_at,
        coalesce((SELECT array_agg(sd.destination_id ORDER BY sd.created_at) FROM source_destinations sd WHERE sd.source_id = s.id), '{}')
        """

    /// The values of ``columns``, in order.
    typealias Columns = (UUID, UUID, String, String, String?, String, String, String, Bool, String?, Bool, Date, [UUID])

    static func source(_ columns: Columns) -> Source {
        let (id, tenantId, name, kind, preset, token, config, fieldMap, hasSecrets, email, enabled, created, destinations) = columns
        return Source(
            id: id,
            tenantId: tenantId,
            name: name,
            kind: SourceKind(rawValue: kind) ?? .api,
            preset: preset.flatMap(WebhookPreset.init(rawValue:)),
            token: token,
            config: JSONText.object(config),
            fieldMap: JSONText.decode([String: String].self, from: fieldMap) ?? [:],
            hasSecrets: hasSecrets,
            notificationEmail: email,
            enabled: enabled,
            destinationIds: destinations,
            createdAt: created
        )
    }

    func decode(_ rows: PostgresRowSequence) async throws -> [Source] {
        var sources: [Source] = []
        for try await row in rows {
            sources.append(Self.source(try row.decode(Columns.self)))
        }
        return sources
    }

    /// Creates a source with a fresh public token and links it to `destinationIds` (same tenant only).
    public func create(
        tenantId: UUID,
        name: String,
        kind: SourceKind,
        preset: WebhookPreset? = nil,
        config: [String: JSONValue] = [:],
        fieldMap: [String: String] = [:],
        sealedSecrets: [UInt8]? = nil,
        destinationIds: [UUID] = []
    ) async throws -> Source {
        if kind == .webhook, preset == nil {
            throw StoreError.invalid(
                field: "preset",
                message: "a webhook source needs a preset (generic, zapier, facebook, monday, shopmonkey, twilio, whatsapp, email)"
            )
        }
        if kind != .webhook, preset != nil {
            throw StoreError.invalid(field: "preset", message: "only webhook sources take a preset")
        }
        _ = try PolledSource(kind: kind, preset: preset, config: config)
        let secrets = sealedSecrets.map { ByteBuffer(bytes: $0) }
        let id = UUID()
        try await client.translatingErrors(entity: "source") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.execute(
                    """
                    INSERT INTO sources (id, tenant_id, name, kind, preset, token, config, field_map, secrets_ciphertext)
                    VALUES (\(id), \(tenantId), \(name), \(kind.rawValue), \(preset?.rawValue), \(RandomToken.make()),
                            \(JSONText.encode(config))::jsonb, \(JSONText.encode(fieldMap))::jsonb, \(secrets))
                    """,
                    logger: logger
                )
                try await link(connection: connection, sourceId: id, tenantId: tenantId, destinationIds: destinationIds)
            }
        }
        return try await find(id.uuidString, tenantId: tenantId)
    }

    private func link(connection: PostgresConnection, sourceId: UUID, tenantId: UUID, destinationIds: [UUID]) async throws {
        for destinationId in destinationIds {
            try await connection.execute(
                """
                INSERT INTO source_destinations (tenant_id, source_id, destination_id)
                VALUES (\(tenantId), \(sourceId), \(destinationId)) ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
        }
    }

    /// Replaces the set of destinations a source fans out to.
    public func setDestinations(sourceId: UUID, tenantId: UUID, destinationIds: [UUID]) async throws {
        try await client.translatingErrors(entity: "source destination") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.execute("DELETE FROM source_destinations WHERE source_id = \(sourceId)", logger: logger)
                try await link(connection: connection, sourceId: sourceId, tenantId: tenantId, destinationIds: destinationIds)
            }
        }
    }

    /// Sources of one tenant (all when nil), by name.
    public func list(tenantId: UUID?) async throws -> [Source] {
        try await recordsByName(tenantId: tenantId)
    }

    /// The source with this id or name, within `tenantId` when given.
    public func find(_ reference: String, tenantId: UUID?) async throws -> Source {
        try await record(reference, tenantId: tenantId)
    }

    /// The tenant's default API source (kind `api`, the oldest), created on first use.
    public func defaultAPISource(tenantId: UUID) async throws -> Source {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM sources s
            WHERE s.tenant_id = \(tenantId) AND s.kind = 'api' ORDER BY s.created_at LIMIT 1
            """,
            logger: logger
        )
        if let source = try await decode(rows).first { return source }
        do {
            return try await create(tenantId: tenantId, name: "API", kind: .api)
        } catch StoreError.conflict {
            return try await find("API", tenantId: tenantId)
        }
    }

    /// Saves the editable fields of `source`; `sealedSecrets` replaces the secrets when given.
    public func update(_ source: Source, sealedSecrets: [UInt8]? = nil) async throws -> Source {
        _ = try PolledSource(source)
        let secrets = sealedSecrets.map { ByteBuffer(bytes: $0) }
        try await client.translatingErrors(entity: "source") {
            try await client.execute(
                """
                UPDATE sources SET name = \(source.name), config = \(JSONText.encode(source.config))::jsonb,
                    field_map = \(JSONText.encode(source.fieldMap))::jsonb, notification_email = \(source.notificationEmail),
                    enabled = \(source.enabled), secrets_ciphertext = coalesce(\(secrets), secrets_ciphertext), updated_at = now()
                WHERE id = \(source.id) AND tenant_id = \(source.tenantId)
                """,
                logger: logger
            )
        }
        return try await find(source.id.uuidString, tenantId: source.tenantId)
    }

    /// The sealed secrets of a source, if any.
    public func sealedSecrets(sourceId: UUID) async throws -> [UInt8]? {
        try await SealedSecretColumn.sourceSecrets.value(id: sourceId, client: client, logger: logger)
    }
}

extension SourceStore: TenantNamedRecordQueries {
    static let recordKind = "source"
    static let tableWithAlias = (table: "sources", alias: "s")
}
