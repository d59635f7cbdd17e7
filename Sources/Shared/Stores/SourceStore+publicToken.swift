import Foundation
import PostgresNIO

/// A source reached through its public token (`/f/{token}`, `/hooks/{token}`) with everything
/// serving one request needs, read in one round trip.
public struct PublicSource: Sendable {
    /// The source.
    public var source: Source
    /// Its tenant's default phone region (ISO 3166), for normalizing phone numbers.
    public var tenantRegion: String
    /// The source's sealed secrets (signing secret, page token), still encrypted; nil when it has none.
    public var sealedSecrets: [UInt8]?
    /// The source's revision, bumped by every change to it (a copy kept in memory is current while
    /// the row still has this revision).
    public var revision: Int64
}

extension SourceStore {
    /// The source behind a public form/webhook token, with its tenant's region and its sealed
    /// secrets, in one prepared statement (every webhook and form request whose source is not in
    /// memory runs it). Ends at the time limit with ``DatabaseUnavailable`` when PostgreSQL does
    /// not answer (``PostgresClient/readWithinTimeLimit(_:)``).
    public func findPublic(token: String) async throws -> PublicSource? {
        try await client.readWithinTimeLimit { [logger] connection in
            for try await found in try await connection.execute(FindPublicSourceStatement(token: token), logger: logger) {
                return found
            }
            return nil
        }
    }

    struct FindPublicSourceStatement: PostgresPreparedStatement {
        static let sql = """
            SELECT \(SourceStore.columns), t.default_region, s.secrets_ciphertext, s.revision
            FROM sources s JOIN tenants t ON t.id = s.tenant_id
            WHERE s.token = $1
            """
        static let bindingDataTypes: [PostgresDataType] = [.text]
        typealias Row = PublicSource

        var token: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(token)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PublicSource {
            let (
                id, tenantId, name, kind, preset, token, config, fieldMap, hasSecrets, email, enabled, created, destinations, region, sealed, revision
            ) =
                try row.decode(
                    (UUID, UUID, String, String, String?, String, String, String, Bool, String?, Bool, Date, [UUID], String, ByteBuffer?, Int64).self
                )
            let source = SourceStore.source(
                (id, tenantId, name, kind, preset, token, config, fieldMap, hasSecrets, email, enabled, created, destinations)
            )
            return PublicSource(source: source, tenantRegion: region, sealedSecrets: sealed.map { Array($0.readableBytesView) }, revision: revision)
        }
    }
}
