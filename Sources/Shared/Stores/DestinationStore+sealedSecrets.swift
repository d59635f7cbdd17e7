import Foundation
import Logging
import PostgresNIO

extension DestinationStore {
    /// Up to `limit` destinations holding a sealed credential whose id sorts after `after` (all when nil),
    /// in id order, read on `connection`. With `forUpdate` the rows stay locked until its transaction ends.
    /// For ``SecretRotation`` only: the values are never decoded here.
    public func sealedSecrets(
        after: UUID?,
        limit: Int,
        forUpdate: Bool,
        on connection: PostgresConnection
    ) async throws -> [SecretRotation.SealedValue] {
        let rows = try await connection.query(
            """
            SELECT id, secret_ciphertext FROM destinations
            WHERE secret_ciphertext IS NOT NULL AND (\(after)::uuid IS NULL OR id > \(after))
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

    /// Stores `sealed` as the credential of `destinationId` on `connection` (the same secret, re-sealed;
    /// `updated_at` is left alone).
    public func replaceSealedSecret(destinationId: UUID, with sealed: [UInt8], on connection: PostgresConnection) async throws {
        try await connection.execute(
            "UPDATE destinations SET secret_ciphertext = \(ByteBuffer(bytes: sealed)) WHERE id = \(destinationId)",
            logger: logger
        )
    }
}
