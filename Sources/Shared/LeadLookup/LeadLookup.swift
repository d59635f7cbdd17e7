import Foundation
import Logging
import PhoneNumbers
import PostgresNIO

/// Finds leads and tells their whole story: the operator's `leadctl leads show` and the
/// dashboard's lead search and lead page. Every method takes an optional tenant: given one,
/// nothing of another tenant is ever returned (nil: all tenants, for operators).
public struct LeadLookup: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Lookups over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let summaryColumns = """
        l.id, l.tenant_id, l.source_id, s.name AS source_name, l.channel, l.external_id, l.first_name, l.last_name,
        l.email, l.phone, l.phone_raw, l.status, l.received_at, l.stage AS lead_stage,
        coalesce((SELECT jsonb_object_agg(c.status, c.n) FROM (SELECT d.status, count(*) AS n FROM deliveries d
                  WHERE d.lead_id = l.id GROUP BY d.status) c), '{}')::text AS delivery_statuses
        """

    /// Leads matching `query`, newest first (at most `limit`). Phones are normalized with the
    /// tenant's default region (US without a tenant) and also matched as typed.
    public func find(_ query: LeadQuery, tenantId: UUID?, limit: Int = 20) async throws -> [LeadSummary] {
        let match = LeadMatch(query, region: try await region(tenantId: tenantId))
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.summaryColumns)
            FROM leads l JOIN sources s ON s.id = l.source_id
            WHERE (\(tenantId)::uuid IS NULL OR l.tenant_id = \(tenantId))
              AND (l.id = \(match.id)::bigint OR lower(l.email) = \(match.email)::text
                   OR l.phone = \(match.phone)::text OR l.phone_raw = \(match.phoneRaw)::text
                   OR l.external_id = \(match.externalId)::text
                   OR concat_ws(' ', l.first_name, l.last_name) ILIKE \(match.namePattern)::text)
            ORDER BY l.received_at DESC, l.id DESC LIMIT \(max(1, limit))
            """,
            logger: logger
        )
        var summaries: [LeadSummary] = []
        for try await row in rows { summaries.append(try Self.summary(row.makeRandomAccess())) }
        return summaries
    }

    /// The lead with its fields, payload, deliveries and attempts; nil when there is none with
    /// this id (within `tenantId` when given).
    public func detail(leadId: Int64, tenantId: UUID?) async throws -> LeadDetail? {
        try await details(leadIds: [leadId], tenantId: tenantId).first
    }

    /// ``detail(leadId:tenantId:)`` for several leads at once (three queries in all), in the
    /// order of `leadIds`; ids that do not exist (in the tenant) are left out.
    public func details(leadIds: [Int64], tenantId: UUID?) async throws -> [LeadDetail] {
        guard !leadIds.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.summaryColumns), l.postal_code, l.notes, l.extra::text AS extra, l.raw::text AS raw,
                   l.flags, l.import_id, l.inbound_event_id, l.stage, l.last_reply_at, l.last_contacted_at
            FROM leads l JOIN sources s ON s.id = l.source_id
            WHERE l.id = ANY(\(leadIds)::bigint[]) AND (\(tenantId)::uuid IS NULL OR l.tenant_id = \(tenantId))
            """,
            logger: logger
        )
        var leads: [Int64: LeadDetail] = [:]
        for try await row in rows {
            let columns = row.makeRandomAccess()
            let summary = try Self.summary(columns)
            leads[summary.id] = LeadDetail(
                summary: summary,
                postalCode: try columns["postal_code"].decode(String?.self),
                notes: try columns["notes"].decode(String?.self),
                extra: JSONText.object(try columns["extra"].decode(String.self)),
                raw: try columns["raw"].decode(String?.self).flatMap { JSONText.decode(JSONValue.self, from: $0) },
                flags: try columns["flags"].decode([String].self),
                importId: try columns["import_id"].decode(UUID?.self),
                inboundEventId: try columns["inbound_event_id"].decode(Int64?.self),
                deliveries: [],
                stage: try columns["stage"].decode(String.self),
                lastReplyAt: try columns["last_reply_at"].decode(Date?.self),
                lastContactedAt: try columns["last_contacted_at"].decode(Date?.self)
            )
        }
        for delivery in try await deliveries(leadIds: Array(leads.keys)) {
            leads[delivery.leadId]?.deliveries.append(delivery.detail)
        }
        for (leadId, messages) in try await conversations(leadIds: Array(leads.keys)) {
            leads[leadId]?.conversation = messages
        }
        for (leadId, enrollments) in try await enrollments(leadIds: Array(leads.keys)) {
            leads[leadId]?.enrollments = enrollments
        }
        return leadIds.compactMap { leads[$0] }
    }

    /// The deliveries of `leadIds` by destination name, each with its attempts.
    private func deliveries(leadIds: [Int64]) async throws -> [(leadId: Int64, detail: LeadDeliveryDetail)] {
        guard !leadIds.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT d.lead_id, d.id, d.destination_id, dest.name, dest.kind, d.status, d.attempts, d.external_id,
                   d.last_http_status, d.last_error_class, d.last_error, d.next_attempt_at, d.created_at, d.updated_at, d.finished_at
            FROM deliveries d JOIN destinations dest ON dest.id = d.destination_id
            WHERE d.lead_id = ANY(\(leadIds)::bigint[])
            ORDER BY d.lead_id, dest.name, d.id
            """,
            logger: logger
        )
        var deliveries: [(leadId: Int64, detail: LeadDeliveryDetail)] = []
        for try await (leadId, id, destinationId, name, kind, status, attempts, externalId, http, errorClass, error, next, created, updated, finished)
            in rows.decode((Int64, Int64, UUID, String, String, String, Int, String?, Int?, String?, String?, Date?, Date, Date, Date?).self)
        {
            deliveries.append(
                (
                    leadId,
                    LeadDeliveryDetail(
                        id: id,
                        destinationId: destinationId,
                        destinationName: name,
                        destinationKind: kind,
                        status: status,
                        attempts: attempts,
                        externalId: externalId,
                        lastHTTPStatus: http,
                        lastErrorClass: errorClass,
                        lastError: error,
                        nextAttemptAt: next,
                        createdAt: created,
                        updatedAt: updated,
                        finishedAt: finished,
                        attemptLog: []
                    )
                )
            )
        }
        let attempts = try await self.attempts(deliveryIds: deliveries.map(\.detail.id))
        return deliveries.map { entry in
            var entry = entry
            entry.detail.attemptLog = attempts[entry.detail.id] ?? []
            return entry
        }
    }

    /// Every attempt of `deliveryIds`, oldest first, by delivery.
    private func attempts(deliveryIds: [Int64]) async throws -> [Int64: [DeliveryAttemptRecord]] {
        guard !deliveryIds.isEmpty else { return [:] }
        let rows = try await client.query(
            """
            SELECT delivery_id, attempt, worker_id, started_at, duration_ms, outcome, http_status, error_class, error_message, response_excerpt,
                   possible_duplicate
            FROM delivery_attempts WHERE delivery_id = ANY(\(deliveryIds)::bigint[])
            ORDER BY delivery_id, started_at, id
            """,
            logger: logger
        )
        var attempts: [Int64: [DeliveryAttemptRecord]] = [:]
        for try await (deliveryId, attempt, worker, started, duration, outcome, http, errorClass, message, excerpt, possibleDuplicate)
            in rows.decode((Int64, Int, String, Date, Int, String, Int?, String?, String?, String?, Bool?).self)
        {
            attempts[deliveryId, default: []].append(
                DeliveryAttemptRecord(
                    attempt: attempt,
                    workerId: worker,
                    startedAt: started,
                    durationMilliseconds: duration,
                    outcome: outcome,
                    httpStatus: http,
                    errorClass: errorClass,
                    errorMessage: message,
                    responseExcerpt: excerpt,
                    possibleDuplicate: possibleDuplicate
                )
            )
        }
        return attempts
    }

    /// The tenant's default phone region; `US` without a tenant.
    private func region(tenantId: UUID?) async throws -> String {
        guard let tenantId else { return "US" }
        for try await region in try await client.query(
            "SELECT default_region FROM tenants WHERE id = \(tenantId)",
            logger: logger
        ).decode(String.self) {
            return region
        }
        return "US"
    }

    static func summary(_ row: PostgresRandomAccessRow) throws -> LeadSummary {
        let statuses = JSONText.decode([String: Int].self, from: try row["delivery_statuses"].decode(String.self)) ?? [:]
        return LeadSummary(
            id: try row["id"].decode(Int64.self),
            tenantId: try row["tenant_id"].decode(UUID.self),
            sourceId: try row["source_id"].decode(UUID.self),
            sourceName: try row["source_name"].decode(String.self),
            channel: try row["channel"].decode(String.self),
            externalId: try row["external_id"].decode(String?.self),
            firstName: try row["first_name"].decode(String?.self),
            lastName: try row["last_name"].decode(String?.self),
            email: try row["email"].decode(String?.self),
            phone: try row["phone"].decode(String?.self),
            phoneRaw: try row["phone_raw"].decode(String?.self),
            status: try row["status"].decode(String.self),
            receivedAt: try row["received_at"].decode(Date.self),
            deliveryStatuses: statuses,
            stage: try row["lead_stage"].decode(String.self)
        )
    }
}

/// The column values a ``LeadQuery`` compares with (nil: that column is not compared).
struct LeadMatch: Sendable {
    var id: Int64?
    var email: String?
    var phone: String?
    var phoneRaw: String?
    var externalId: String?
    var namePattern: String?

    init(_ query: LeadQuery, region: String) {
        switch query {
        case .id(let id): self.id = id
        case .email(let email): self.email = Self.email(email)
        case .phone(let phone): (self.phone, phoneRaw) = Self.phone(phone, region: region)
        case .name(let name): namePattern = Self.containsPattern(name)
        case .externalId(let externalId): self.externalId = externalId.trimmingCharacters(in: .whitespacesAndNewlines)
        case .any(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            id = Int64(trimmed)
            if trimmed.contains("@") { email = Self.email(trimmed) }
            if trimmed.contains(where: \.isASCIIDigit) { (phone, phoneRaw) = Self.phone(trimmed, region: region) }
            externalId = trimmed
            namePattern = Self.containsPattern(trimmed)
        }
    }

    /// The address lower-cased after normalization (as typed, lower-cased, when it is not one).
    static func email(_ text: String) -> String {
        (EmailNormalizer.normalize(text) ?? text.trimmingCharacters(in: .whitespacesAndNewlines)).lowercased()
    }

    /// The E.164 form (nil when it cannot be normalized) and the text as typed.
    static func phone(_ text: String, region: String) -> (String?, String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return (PhoneNumberNormalizer().normalize(trimmed, defaultRegion: region).e164Value, trimmed)
    }

    /// An `ILIKE` pattern matching text that contains `text` (wildcards in it escaped); nil when blank.
    static func containsPattern(_ text: String) -> String? {
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !words.isEmpty else { return nil }
        var escaped = ""
        for character in words {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}
