import Foundation
import Logging
import PostgresNIO

/// Follow-up sequences in PostgreSQL: create, list, find by id or name, update (the version grows),
/// enable or disable, and name the sequence a source's new leads enter. Every change is audited.
public struct SequenceStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = "q.id, q.tenant_id, q.name, q.definition::text, q.version, q.enabled, q.created_at, q.updated_at"

    func decode(_ rows: PostgresRowSequence) async throws -> [FollowUpSequence] {
        var sequences: [FollowUpSequence] = []
        for try await (id, tenantId, name, definition, version, enabled, created, updated) in rows.decode(
            (UUID, UUID, String, String, Int, Bool, Date, Date).self
        ) {
            sequences.append(
                FollowUpSequence(
                    id: id,
                    tenantId: tenantId,
                    name: name,
                    definitionJSON: JSONText.decode(JSONValue.self, from: definition) ?? .object([:]),
                    version: version,
                    enabled: enabled,
                    createdAt: created,
                    updatedAt: updated
                )
            )
        }
        return sequences
    }

    /// Saves a new sequence `name` of `tenantId` with `definition`.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` when the tenant has a sequence of that name.
    public func create(tenantId: UUID, name: String, definition: SequenceDefinition, actor: String) async throws -> FollowUpSequence {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw StoreError.invalid(field: "name", message: "must be 1 to 200 characters") }
        return try await client.translatingErrors(entity: "sequence") {
            let rows = try await client.query(
                """
                WITH inserted AS (
                    INSERT INTO sequences (tenant_id, name, definition)
                    VALUES (\(tenantId), \(trimmed), \(JSONText.encode(definition.json))::jsonb) RETURNING *)
                SELECT \(unescaped: Self.columns) FROM inserted q
                """,
                logger: logger
            )
            guard let created = try await decode(rows).first else { throw StoreError.conflict("sequence was not created") }
            try await audit(created, action: "sequence.create", actor: actor)
            return created
        }
    }

    /// Replaces the definition (and optionally the name and enabled flag) of `sequence`; the
    /// version grows by one. Enrollments in flight keep the steps they started with.
    public func update(
        _ sequence: FollowUpSequence,
        name: String? = nil,
        definition: SequenceDefinition? = nil,
        enabled: Bool? = nil,
        actor: String
    ) async throws -> FollowUpSequence {
        let json = definition.map { JSONText.encode($0.json) }
        return try await client.translatingErrors(entity: "sequence") {
            let rows = try await client.query(
                """
                WITH updated AS (
                    UPDATE sequences SET name = coalesce(\(name), name), definition = coalesce(\(json)::jsonb, definition),
                        enabled = coalesce(\(enabled), enabled),
                        version = version + CASE WHEN \(json)::jsonb IS NULL OR \(json)::jsonb = definition THEN 0 ELSE 1 END,
                        updated_at = now()
                    WHERE id = \(sequence.id) AND tenant_id = \(sequence.tenantId) RETURNING *)
                SELECT \(unescaped: Self.columns) FROM updated q
                """,
                logger: logger
            )
            guard let updated = try await decode(rows).first else { throw StoreError.notFound(kind: "sequence", reference: sequence.name) }
            try await audit(updated, action: "sequence.update", actor: actor)
            return updated
        }
    }

    /// The sequences of one tenant (all when nil), by name.
    public func list(tenantId: UUID?) async throws -> [FollowUpSequence] { try await recordsByName(tenantId: tenantId) }

    /// The sequence with this id or name, within `tenantId` when given.
    public func find(_ reference: String, tenantId: UUID?) async throws -> FollowUpSequence { try await record(reference, tenantId: tenantId) }

    /// Names the sequence the new leads of `sourceId` enter (nil: none).
    ///
    /// - Throws: ``StoreError/notFound(kind:reference:)`` when the source is not the sequence's tenant's.
    public func assign(_ sequence: FollowUpSequence?, toSource sourceId: UUID, tenantId: UUID, actor: String) async throws {
        let rows = try await client.query(
            """
            UPDATE sources SET sequence_id = \(sequence?.id), updated_at = now()
            WHERE id = \(sourceId) AND tenant_id = \(tenantId) RETURNING id
            """,
            logger: logger
        )
        var found = false
        for try await _ in rows { found = true }
        guard found else { throw StoreError.notFound(kind: "source", reference: sourceId.uuidString) }
        try await AuditLog(client: client, logger: logger).record(
            actor: actor,
            tenantId: tenantId,
            action: "source.sequence",
            targetType: "source",
            targetId: sourceId.uuidString.lowercased(),
            details: JSONText.encode(["sequence": sequence?.name ?? ""])
        )
    }

    private func audit(_ sequence: FollowUpSequence, action: String, actor: String) async throws {
        try await AuditLog(client: client, logger: logger).record(
            actor: actor,
            tenantId: sequence.tenantId,
            action: action,
            targetType: "sequence",
            targetId: sequence.id.uuidString.lowercased(),
            details: JSONText.encode(["name": sequence.name, "version": String(sequence.version)])
        )
    }
}

extension SequenceStore: TenantNamedRecordQueries {
    static let recordKind = "sequence"
    static let tableWithAlias = (table: "sequences", alias: "q")
}
