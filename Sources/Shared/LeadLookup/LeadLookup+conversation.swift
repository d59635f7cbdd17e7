import Foundation
import PostgresNIO

extension LeadLookup {
    /// The conversations of `leadIds`: every message out and in, oldest first.
    func conversations(leadIds: [Int64]) async throws -> [Int64: [ConversationMessage]] {
        guard !leadIds.isEmpty else { return [:] }
        let rows = try await client.query(
            """
            SELECT lead_id, id, direction, channel, address, sender, subject, body, status, error_code, error_reason,
                   provider_message_id, delivery_id, created_at, status_at
            FROM messages WHERE lead_id = ANY(\(leadIds)::bigint[])
            ORDER BY lead_id, created_at, id
            """,
            logger: logger
        )
        var conversations: [Int64: [ConversationMessage]] = [:]
        for try await row in rows {
            let (
                leadId, id, direction, channel, address, sender, subject, body, status, errorCode, errorReason, providerId, deliveryId, at, statusAt
            ) =
                try row.decode(
                    (Int64, Int64, String, String, String, String?, String?, String?, String?, String?, String?, String?, Int64?, Date, Date?).self
                )
            conversations[leadId, default: []].append(
                ConversationMessage(
                    id: id,
                    direction: direction,
                    channel: channel,
                    address: address,
                    sender: sender,
                    subject: subject,
                    body: body,
                    status: status,
                    errorCode: errorCode,
                    errorReason: errorReason,
                    providerMessageId: providerId,
                    deliveryId: deliveryId,
                    at: at,
                    statusAt: statusAt
                )
            )
        }
        return conversations
    }
}
