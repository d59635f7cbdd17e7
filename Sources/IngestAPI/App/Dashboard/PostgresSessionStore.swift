import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// hummingbird-auth's session storage on PostgreSQL (`web_sessions`), so sessions survive
/// restarts and are shared by every web process. Keys are stored as SHA-256 hashes; expired
/// rows are ignored when read and deleted every few minutes while the service runs.
struct PostgresSessionStore: PersistDriver {
    let client: PostgresClient
    let logger: Logger
    /// How often expired sessions are deleted.
    var cleanupInterval: Duration = .seconds(600)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: cleanupInterval)
                    try await client.query("DELETE FROM web_sessions WHERE expires_at < now()", logger: logger)
                } catch is CancellationError {
                    return
                } catch {
                    logger.debug("expired sessions not deleted", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let rows = try await client.query(
            """
            INSERT INTO web_sessions (key_hash, value, expires_at) VALUES (\(Self.hash(key)), \(try Self.json(value))::jsonb, \(Self.expiry(expires)))
            ON CONFLICT (key_hash) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
            WHERE web_sessions.expires_at < now()
            RETURNING 1
            """,
            logger: logger
        )
        for try await _ in rows { return }
        throw PersistError.duplicate
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let json = try Self.json(value)
        if let expires = Self.expiry(expires) {
            try await client.query(
                """
                INSERT INTO web_sessions (key_hash, value, expires_at) VALUES (\(Self.hash(key)), \(json)::jsonb, \(expires))
                ON CONFLICT (key_hash) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                """,
                logger: logger
            )
        } else {
            // No new expiry: keep the one the session has.
            try await client.query(
                """
                INSERT INTO web_sessions (key_hash, value) VALUES (\(Self.hash(key)), \(json)::jsonb)
                ON CONFLICT (key_hash) DO UPDATE SET value = excluded.value
                """,
                logger: logger
            )
        }
    }

    func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: type)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let rows = try await client.query(
            """
            SELECT value::text, extract(epoch FROM expires_at - now())::float8 FROM web_sessions
            WHERE key_hash = \(Self.hash(key)) AND (expires_at IS NULL OR expires_at > now())
            """,
            logger: logger
        )
        for try await (json, seconds) in rows.decode((String, Double?).self) {
            let object = try JSONDecoder.sessions.decode(Object.self, from: Data(json.utf8))
            return (object, seconds.map { .milliseconds(Int64($0 * 1000)) })
        }
        return nil
    }

    func remove(key: String) async throws {
        try await client.query("DELETE FROM web_sessions WHERE key_hash = \(Self.hash(key))", logger: logger)
    }

    /// Deletes every session of a user (sign-out everywhere, a disabled user, a changed password).
    func removeSessions(userId: UUID) async throws {
        try await client.query("DELETE FROM web_sessions WHERE value->>'user_id' = \(userId.uuidString)", logger: logger)
    }

    static func hash(_ key: String) -> ByteBuffer { ByteBuffer(bytes: SHA256.hash(data: Data(key.utf8))) }

    private static func expiry(_ expires: Duration?) -> Date? {
        expires.map { Date().addingTimeInterval(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) }
    }

    private static func json<Object: Encodable>(_ value: Object) throws -> String {
        String(decoding: try JSONEncoder.sessions.encode(value), as: UTF8.self)
    }
}

extension JSONEncoder {
    /// Session values: ISO 8601 dates.
    static let sessions: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}

extension JSONDecoder {
    /// Session values: ISO 8601 dates.
    static let sessions: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
