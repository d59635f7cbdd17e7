import Crypto
import Foundation
import Logging
import PostgresNIO
import Shared

/// `Idempotency-Key` support: the first answer for (API key, idempotency key) is saved in the same
/// transaction as the leads, and replayed for 24 h to a request with the same body.
struct IdempotencyStore: Sendable {
    struct StoredReply: Sendable {
        var requestHash: [UInt8]
        var status: Int
        var body: [UInt8]
    }

    /// A concurrent request with the same key committed first; the caller replays its answer.
    struct AlreadyStored: Error {}

    let client: PostgresClient
    let logger: Logger

    static func requestHash(path: String, body: Data) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array(path.utf8))
        hasher.update(data: [0])
        hasher.update(data: body)
        return Array(hasher.finalize())
    }

    /// The saved reply for this key, if younger than 24 h.
    func find(apiKeyId: UUID, key: String) async throws -> StoredReply? {
        let rows = try await client.query(
            """
            SELECT request_hash, response_status, response_body FROM idempotency_keys
            WHERE api_key_id = \(apiKeyId) AND key = \(key) AND created_at > now() - interval '24 hours'
            """,
            logger: logger
        )
        for try await (hash, status, body) in rows.decode((ByteBuffer, Int, ByteBuffer).self) {
            return StoredReply(requestHash: Array(hash.readableBytesView), status: status, body: Array(body.readableBytesView))
        }
        return nil
    }

    /// Saves a reply inside the caller's transaction; throws ``AlreadyStored`` when another
    /// request holds this key, so that the caller's transaction rolls back.
    func save(on connection: PostgresConnection, apiKeyId: UUID, key: String, requestHash: [UInt8], status: Int, body: [UInt8]) async throws {
        let rows = try await connection.query(
            """
            INSERT INTO idempotency_keys (api_key_id, key, request_hash, response_status, response_body)
            VALUES (\(apiKeyId), \(key), \(ByteBuffer(bytes: requestHash)), \(status), \(ByteBuffer(bytes: body)))
            ON CONFLICT (api_key_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
                response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body, created_at = now()
                WHERE idempotency_keys.created_at <= now() - interval '24 hours'
            RETURNING 1
            """,
            logger: logger
        )
        var saved = false
        for try await _ in rows { saved = true }
        if !saved { throw AlreadyStored() }
    }
}
