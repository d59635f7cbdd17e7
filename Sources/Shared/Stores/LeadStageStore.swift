import Foundation
import Logging
import PostgresNIO

/// Moves leads between stages by hand (the dashboard, `leadctl leads stage`) through the one SQL
/// function that also records automatic moves (`move_lead_stage`, migration 0011), with an audit
/// entry. An operator may move a lead in any direction.
public struct LeadStageStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Sets lead `leadId`'s stage (only within `tenantId` when given). Returns whether it changed.
    ///
    /// - Throws: ``StoreError/notFound(kind:reference:)`` when there is no such lead in the tenant.
    @discardableResult
    public func move(leadId: Int64, tenantId: UUID?, to stage: LeadStage, actor: String, userId: UUID? = nil) async throws -> Bool {
        try await client.withTransaction(logger: logger) { connection in
            var leadTenant: UUID?
            for try await tenant in try await connection.query(
                "SELECT tenant_id FROM leads WHERE id = \(leadId) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))",
                logger: logger
            ).decode(UUID.self) {
                leadTenant = tenant
            }
            guard let leadTenant else { throw StoreError.notFound(kind: "lead", reference: String(leadId)) }
            var changed = false
            for try await moved in try await connection.query(
                "SELECT move_lead_stage(\(leadId), \(stage.rawValue), 'operator', \(actor), NULL)",
                logger: logger
            ).decode(Bool.self) {
                changed = moved
            }
            if changed {
                try await connection.query(
                    """
                    INSERT INTO audit_log (actor, user_id, tenant_id, action, target_type, target_id, details)
                    VALUES (\(actor), \(userId), \(leadTenant), 'lead.stage', 'lead', \(String(leadId)),
                            jsonb_build_object('stage', \(stage.rawValue)::text))
                    """,
                    logger: logger
                )
            }
            return changed
        }
    }
}
