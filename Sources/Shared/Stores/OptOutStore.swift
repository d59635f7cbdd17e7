import Foundation
import Logging
import PostgresNIO

/// One address's standing on one channel of a tenant (`opt_outs`).
public struct OptOut: Sendable, Hashable, Codable {
    public var tenantId: UUID
    public var channel: MessageChannel
    /// E.164 phone for SMS and WhatsApp, lower-cased email for email.
    public var address: String
    /// False after an opt-in (START, an operator) that followed an opt-out.
    public var optedOut: Bool
    /// `keyword` (STOP, START…), `provider_error` (Twilio 21610), `operator`.
    public var cause: String
    /// The word the lead sent, upper-cased, for keyword changes.
    public var keyword: String?
    /// Who changed it: a dashboard user's email, `leadctl:<user>`, `twilio`.
    public var actor: String?
    public var changedAt: Date

    enum CodingKeys: String, CodingKey {
        case channel, address, cause, keyword, actor
        case tenantId = "tenant_id"
        case optedOut = "opted_out"
        case changedAt = "changed_at"
    }
}

/// Who may not be messaged: opt-outs per tenant, channel and address in PostgreSQL, so wiping
/// Redis loses none. The worker asks ``isOptedOut(tenantId:channel:address:)`` immediately before
/// every message; replies with STOP/START, provider errors and operators change them through
/// ``set(_:tenantId:channel:address:cause:keyword:actor:inboundEventId:)``, which also writes the
/// audit log.
public struct OptOutStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// How an address is kept: E.164 for phones (`+972501234567`), lower case for email.
    ///
    /// - Throws: ``StoreError/invalid(field:message:)`` for an address the channel cannot use.
    public static func normalizedAddress(_ address: String, channel: MessageChannel) throws -> String {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
        switch channel {
        case .sms, .whatsapp:
            guard MessageRecipient.isE164(trimmed) else {
                throw StoreError.invalid(field: "address", message: "must be a phone number in E.164, like +972501234567")
            }
            return trimmed
        case .email:
            guard trimmed.contains("@"), trimmed.count <= 320, !trimmed.contains(where: \.isWhitespace) else {
                throw StoreError.invalid(field: "address", message: "must be an email address")
            }
            return trimmed.lowercased()
        }
    }

    /// Whether `address` has opted out of `channel` for `tenantId`.
    public func isOptedOut(tenantId: UUID, channel: MessageChannel, address: String) async throws -> Bool {
        let rows = try await client.query(
            """
            SELECT opted_out FROM opt_outs
            WHERE tenant_id = \(tenantId) AND channel = \(channel.rawValue) AND address = \(address)
            """,
            logger: logger
        )
        for try await optedOut in rows.decode(Bool.self) { return optedOut }
        return false
    }

    /// Records that `address` opted out (`optedOut` true) or back in, with its cause, and an
    /// audit entry (`optouts.add` / `optouts.remove`). Returns whether the standing changed.
    @discardableResult
    public func set(
        _ optedOut: Bool,
        tenantId: UUID,
        channel: MessageChannel,
        address: String,
        cause: String,
        keyword: String? = nil,
        actor: String,
        inboundEventId: Int64? = nil
    ) async throws -> Bool {
        let address = try Self.normalizedAddress(address, channel: channel)
        let action = optedOut ? "optouts.add" : "optouts.remove"
        let details = JSONText.encode(["channel": channel.rawValue, "cause": cause, "keyword": keyword ?? ""])
        let rows = try await client.query(
            """
            WITH previous AS (
                SELECT opted_out FROM opt_outs
                WHERE tenant_id = \(tenantId) AND channel = \(channel.rawValue) AND address = \(address)
            ), written AS (
                INSERT INTO opt_outs (tenant_id, channel, address, opted_out, cause, keyword, actor, inbound_event_id)
                VALUES (\(tenantId), \(channel.rawValue), \(address), \(optedOut), \(cause), \(keyword), \(actor), \(inboundEventId))
                ON CONFLICT (tenant_id, channel, address) DO UPDATE
                    SET opted_out = EXCLUDED.opted_out, cause = EXCLUDED.cause, keyword = EXCLUDED.keyword,
                        actor = EXCLUDED.actor, inbound_event_id = EXCLUDED.inbound_event_id, changed_at = now()
                RETURNING 1
            ), changed AS (
                SELECT coalesce((SELECT opted_out FROM previous), false) IS DISTINCT FROM \(optedOut) AS changed
            ), audited AS (
                INSERT INTO audit_log (actor, tenant_id, action, target_type, target_id, details)
                SELECT \(actor), \(tenantId), \(action), 'opt_out', \(channel.rawValue) || ':' || \(address), \(details)::jsonb
                FROM changed WHERE changed
            )
            SELECT changed FROM changed, written
            """,
            logger: logger
        )
        for try await changed in rows.decode(Bool.self) { return changed }
        return false
    }

    /// A tenant's opt-outs (with `includeOptedIn`, also addresses that opted back in), newest first.
    public func list(tenantId: UUID, channel: MessageChannel? = nil, includeOptedIn: Bool = false, limit: Int = 500) async throws -> [OptOut] {
        let rows = try await client.query(
            """
            SELECT tenant_id, channel, address, opted_out, cause, keyword, actor, changed_at FROM opt_outs
            WHERE tenant_id = \(tenantId) AND (\(channel?.rawValue)::text IS NULL OR channel = \(channel?.rawValue))
              AND (opted_out OR \(includeOptedIn))
            ORDER BY changed_at DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var result: [OptOut] = []
        for try await (tenant, channel, address, optedOut, cause, keyword, actor, changed) in rows.decode(
            (UUID, String, String, Bool, String, String?, String?, Date).self
        ) {
            guard let channel = MessageChannel(rawValue: channel) else { continue }
            result.append(
                OptOut(
                    tenantId: tenant,
                    channel: channel,
                    address: address,
                    optedOut: optedOut,
                    cause: cause,
                    keyword: keyword,
                    actor: actor,
                    changedAt: changed
                )
            )
        }
        return result
    }
}
