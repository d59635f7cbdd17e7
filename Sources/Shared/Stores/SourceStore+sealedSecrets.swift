import Foundation
import Logging
import PostgresNIO

extension SourceStore {
    /// Up to `limit` sources holding sealed secrets whose id sorts after `after` (all when nil), in id
    /// order, read on `connection`. With `forUpdate` the rows stay locked until its transaction ends.
    /// For ``SecretRotation`` only: the values are never decoded here.
    public func sealedSecrets(
        after: UUID?,
        limit: Int,
        forUpdate: Bool,
        on connection: PostgresConnection
    ) async throws -> [SecretRotation.SealedValue] {
        let rows = try await connection.query(
            """
            SELECT id, secrets_ciphertext FROM sources
            WHERE secrets_ciphertext IS NOT NULL AND (\(after)::uuid IS NULL OR id > \(after))
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

    /// Stores `sealed` as the secrets of `sourceId` on `connection` (the same secrets, re-sealed;
    /// `updated_at` is left alone).
    public func replaceSealedSecrets(sourceId: UUID, with sealed: [UInt8], on connection: PostgresConnection) async throws {
        try await connection.execute(
            "UPDATE sources SET secrets_ciphertext = \(ByteBuffer(bytes: sealed)) WHERE id = \(sourceId)",
            logger: logger
        )
    }
}
