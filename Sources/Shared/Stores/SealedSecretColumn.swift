import Foundation
import Logging
import PostgresNIO

/// A column holding values sealed with ``SecretBox``: destination credentials
/// (`destinations.secret_ciphertext`) and source secrets (`sources.secrets_ciphertext`).
/// It reads and writes the sealed bytes only; nothing here opens them.
public struct SealedSecretColumn: Sendable {
    /// The table, `destinations` or `sources`.
    public let table: String
    /// The `bytea` column of ``table`` holding the sealed value (NULL when there is none).
    public let column: String

    /// The credential of each destination.
    public static let destinationCredentials = SealedSecretColumn(table: "destinations", column: "secret_ciphertext")
    /// The secrets of each source (one sealed JSON object, see ``SourceSecrets``).
    public static let sourceSecrets = SealedSecretColumn(table: "sources", column: "secrets_ciphertext")

    private init(table: String, column: String) {
        self.table = table
        self.column = column
    }

    /// The sealed value of row `id`; nil when the row holds none or does not exist.
    func value(id: UUID, client: PostgresClient, logger: Logger) async throws -> [UInt8]? {
        for try await sealed in try await client.query(
            "SELECT \(unescaped: column) FROM \(unescaped: table) WHERE id = \(id)",
            logger: logger
        ).decode(ByteBuffer?.self) {
            return sealed.map { Array($0.readableBytesView) }
        }
        return nil
    }

    /// Up to `limit` rows holding a sealed value whose id sorts after `after` (all when nil), in id
    /// order, read on `connection`. With `forUpdate` the rows stay locked until its transaction ends.
    /// For ``SecretRotation`` only.
    public func values(
        after: UUID?,
        limit: Int,
        forUpdate: Bool,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [SecretRotation.SealedValue] {
        let rows = try await connection.query(
            """
            SELECT id, \(unescaped: column) FROM \(unescaped: table)
            WHERE \(unescaped: column) IS NOT NULL AND (\(after)::uuid IS NULL OR id > \(after))
            ORDER BY id LIMIT \(limit) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """,
            logger: logger
        )
        var values: [SecretRotation.SealedValue] = []
        for try await (id, sealed) in rows.decode((UUID, ByteBuffer).self) {
            values.append(SecretRotation.SealedValue(id: id, sealed: Array(sealed.readableBytesView)))
        }
        return values
    }

    /// Stores `sealed` as the value of row `id` on `connection` (the same secret, re-sealed;
    /// `updated_at` is left alone).
    public func replace(id: UUID, with sealed: [UInt8], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.execute(
            "UPDATE \(unescaped: table) SET \(unescaped: column) = \(ByteBuffer(bytes: sealed)) WHERE id = \(id)",
            logger: logger
        )
    }
}
