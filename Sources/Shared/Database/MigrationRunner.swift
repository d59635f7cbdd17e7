import Logging
import PostgresNIO

/// Applies `migrations/NNNN_name.sql` files in order, each in its own transaction, recorded in
/// `schema_migrations` with its checksum. A PostgreSQL advisory lock serializes runners, so a web
/// and a worker process booting at once cannot race.
public struct MigrationRunner: Sendable {
    /// Advisory lock key shared by every LeadRelay process ("LRMIGRAT").
    static let advisoryLockKey: Int64 = 0x4C52_4D49_4752_4154

    public var migrations: [Migration]
    public var logger: Logger

    /// Creates a runner for already-loaded migrations.
    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Loads the migrations in `directory`.
    public init(directory: String, logger: Logger) throws(MigrationError) {
        self.init(migrations: try Migration.load(from: directory), logger: logger)
    }

    /// Applies what is pending and returns the names applied now (empty when up to date).
    /// Throws ``MigrationError/checksumMismatch(name:applied:onDisk:)`` when an applied file was edited.
    @discardableResult
    public func migrate(client: PostgresClient) async throws -> [String] {
        try await client.withConnection { connection in
            try await connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
            do {
                let applied = try await apply(on: connection)
                try await connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                throw error
            }
        }
    }

    private func apply(on connection: PostgresConnection) async throws -> [String] {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var appliedChecksums: [Int: (name: String, checksum: String)] = [:]
        for try await (version, name, checksum) in try await connection.query(
            "SELECT version, name, checksum FROM schema_migrations",
            logger: logger
        ).decode((Int, String, String).self) {
            appliedChecksums[version] = (name, checksum)
        }
        for migration in migrations {
            if let applied = appliedChecksums[migration.version], applied.checksum != migration.checksum {
                throw MigrationError.checksumMismatch(name: migration.name, applied: applied.checksum, onDisk: migration.checksum)
            }
        }
        let known = Set(migrations.map(\.version))
        for (version, applied) in appliedChecksums where !known.contains(version) {
            logger.warning("database has migration \(applied.name) that this build does not know; a newer release applied it")
        }
        var appliedNow: [String] = []
        for migration in migrations where appliedChecksums[migration.version] == nil {
            logger.info("applying migration \(migration.name)")
            do {
                try await connection.withTransaction(logger: logger) { transaction in
                    // The extended protocol runs one statement per query; a temporary PL/pgSQL
                    // function runs the whole file (many statements) inside this transaction.
                    try await transaction.execute(
                        """
                        CREATE OR REPLACE FUNCTION pg_temp.leadrelay_run_migration(sql text) RETURNS void
                        LANGUAGE plpgsql AS $fn$ BEGIN EXECUTE sql; END $fn$
                        """,
                        logger: logger
                    )
                    try await transaction.execute("SELECT pg_temp.leadrelay_run_migration(\(migration.sql))", logger: logger)
                    try await transaction.execute(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))",
                        logger: logger
                    )
                }
            } catch let error as PostgresTransactionError {
                let reason = (error.closureError ?? error.commitError ?? error.beginError).map(Self.describe) ?? "\(error)"
                throw MigrationError.failed(name: migration.name, reason: reason)
            }
            appliedNow.append(migration.name)
        }
        return appliedNow
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            return message
        }
        return String(describing: error)
    }
}
