import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Migration runner")
struct MigrationRunnerTests {
    func migration(_ name: String, _ sql: String) throws -> Migration {
        try Migration(fileName: name, contents: Data(sql.utf8))
    }

    @Test func appliesTheRepositoryMigrationsOnceAndCreatesSchemaV1() async throws {
        try await TestDatabase.withDatabase(migrated: false) { database in
            try await database.withClient { client in
                let runner = try MigrationRunner(directory: TestEnvironment.migrationsDirectory, logger: TestEnvironment.logger)
                let first = try await runner.migrate(client: client)
                #expect(first.first == "0001_schema_v1")
                #expect(try await runner.migrate(client: client).isEmpty, "second run applies nothing")
                var tables: Set<String> = []
                for try await name in try await client.query(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                ).decode(String.self) {
                    tables.insert(name)
                }
                let expected: Set<String> = [
                    "tenants", "users", "api_keys", "destinations", "sources", "source_destinations", "leads", "deliveries",
                    "delivery_attempts", "imports", "import_errors", "inbound_events", "idempotency_keys", "audit_log",
                    "schema_migrations",
                ]
                #expect(expected.isSubset(of: tables), "missing: \(expected.subtracting(tables))")
            }
        }
    }

    @Test func refusesToStartWhenAnAppliedFileWasEdited() async throws {
        try await TestDatabase.withDatabase(migrated: false) { database in
            try await database.withClient { client in
                let original = try migration("0001_first.sql", "CREATE TABLE one (id int);")
                try await MigrationRunner(migrations: [original], logger: TestEnvironment.logger).migrate(client: client)
                let edited = try migration("0001_first.sql", "CREATE TABLE one (id bigint);")
                await #expect {
                    try await MigrationRunner(migrations: [edited], logger: TestEnvironment.logger).migrate(client: client)
                } throws: { error in
                    guard case MigrationError.checksumMismatch(let name, _, _) = error else { return false }
                    return name == "0001_first"
                }
            }
        }
    }

    @Test func aFailingMigrationRollsBackEntirelyAndNamesTheProblem() async throws {
        try await TestDatabase.withDatabase(migrated: false) { database in
            try await database.withClient { client in
                let good = try migration("0001_good.sql", "CREATE TABLE good (id int);")
                let bad = try migration("0002_bad.sql", "CREATE TABLE half (id int);\nSELECT * FROM no_such_table;")
                await #expect {
                    try await MigrationRunner(migrations: [good, bad], logger: TestEnvironment.logger).migrate(client: client)
                } throws: { error in
                    "\(error)".contains("0002_bad") && "\(error)".contains("no_such_table")
                }
                let halves = try await client.query("SELECT count(*)::int FROM pg_tables WHERE tablename = 'half'").decode(Int.self)
                for try await count in halves { #expect(count == 0, "the failed migration left nothing behind") }
                var versions: [Int] = []
                for try await version in try await client.query("SELECT version FROM schema_migrations ORDER BY version").decode(Int.self) {
                    versions.append(version)
                }
                #expect(versions == [1])
            }
        }
    }

    @Test func concurrentRunnersDoNotRace() async throws {
        try await TestDatabase.withDatabase(migrated: false) { database in
            let runner = try MigrationRunner(directory: TestEnvironment.migrationsDirectory, logger: TestEnvironment.logger)
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 {
                    group.addTask { try await database.withClient { try await runner.migrate(client: $0) } }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(applied.count == runner.migrations.count, "each migration applied by exactly one runner")
        }
    }

    @Test(arguments: ["1_x.sql", "0001.sql", "abcd_x.sql", "0000_zero.sql"])
    func rejectsBadFileNames(name: String) {
        #expect(throws: MigrationError.badFileName(name)) { try Migration(fileName: name, contents: Data()) }
    }
}
