import Logging
import NIOPosix
import PostgresNIO
import Shared
import TestSupport
import Testing

/// ``DatabaseFailure`` reads errors that a real PostgreSQL sends: raised SQLSTATEs, constraint
/// violations with their constraint's name, the same inside a transaction, and a refused connection.
@Suite("Database failure classification")
struct DatabaseFailureTests {
    static let schema = """
        CREATE TABLE items (
            id int PRIMARY KEY,
            name text CONSTRAINT items_name_key UNIQUE,
            amount int CONSTRAINT items_amount_positive CHECK (amount > 0),
            parent int CONSTRAINT items_parent_fkey REFERENCES items (id)
        )
        """

    /// The error `sql` fails with.
    static func failure(of sql: String, on client: PostgresClient) async throws -> any Error {
        do {
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestEnvironment.logger)
        } catch {
            return error
        }
        Issue.record("\(sql) did not fail")
        throw CancellationError()
    }

    static let raised: [(state: String, failure: DatabaseFailure?)] = [
        ("40001", .conflict), ("40P01", .conflict), ("08006", .unavailable), ("57P01", .unavailable),
        ("22021", .unstorableText), ("22P05", .unstorableText), ("42601", nil), ("P0001", nil),
    ]

    @Test(arguments: raised)
    func aRaisedSQLStateIsClassified(state: String, failure: DatabaseFailure?) async throws {
        try await TestDatabase.withDatabase(migrated: false) { database in
            try await database.withClient { client in
                let error = try await Self.failure(of: "DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '\(state)'; END $$", on: client)
                #expect(DatabaseFailure(error) == failure, "\(state)")
                #expect(DatabaseFailure(error)?.isTransient ?? false == (failure == .conflict || failure == .unavailable))
            }
        }
    }

    @Test func constraintViolationsNameTheirConstraintAlsoInsideATransaction() async throws {
        try await TestDatabase.withDatabase(migrated: false) { database in
            try await database.withClient { client in
                let logger = TestEnvironment.logger
                try await client.query(PostgresQuery(unsafeSQL: Self.schema), logger: logger)
                try await client.query("INSERT INTO items (id, name, amount) VALUES (1, 'one', 1)", logger: logger)
                let duplicate = try await Self.failure(of: "INSERT INTO items (id, name) VALUES (2, 'one')", on: client)
                #expect(DatabaseFailure(duplicate) == .uniqueViolation(constraint: "items_name_key"))
                let negative = try await Self.failure(of: "INSERT INTO items (id, amount) VALUES (3, -1)", on: client)
                #expect(DatabaseFailure(negative) == .checkViolation(constraint: "items_amount_positive"))
                let orphan = try await Self.failure(of: "INSERT INTO items (id, parent) VALUES (4, 99)", on: client)
                #expect(DatabaseFailure(orphan) == .foreignKeyViolation(constraint: "items_parent_fkey"))
                let malformed = try await Self.failure(of: "SELECT 'not-a-uuid'::uuid", on: client)
                guard case .invalidTextRepresentation(let message)? = DatabaseFailure(malformed) else {
                    Issue.record("\(String(reflecting: malformed))")
                    return
                }
                #expect(message?.contains("not-a-uuid") == true)

                let inTransaction: (any Error)?
                do {
                    try await client.withTransaction(logger: logger) { connection in
                        try await connection.query("INSERT INTO items (id, name) VALUES (5, 'one')", logger: logger)
                    }
                    inTransaction = nil
                } catch {
                    inTransaction = error
                }
                #expect(inTransaction is PostgresTransactionError)
                #expect(inTransaction.flatMap(DatabaseFailure.init) == .uniqueViolation(constraint: "items_name_key"))
            }
        }
    }

    @Test func aRefusedConnectionIsUnavailableAndOtherErrorsAreNotClassified() async throws {
        var unreachable = try TestEnvironment.serverDatabase()
        unreachable.port = 1  // nothing listens there
        let configuration = PostgresConnection.Configuration(
            host: unreachable.host,
            port: unreachable.port,
            username: unreachable.username,
            password: unreachable.password,
            database: unreachable.database,
            tls: .disable
        )
        let refused: (any Error)?
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(),
                configuration: configuration,
                id: 1,
                logger: TestEnvironment.logger
            )
            try await connection.close()
            refused = nil
        } catch {
            refused = error
        }
        #expect(refused.flatMap(DatabaseFailure.init) == .unavailable, "\(String(reflecting: refused))")
        #expect(DatabaseFailure(CancellationError()) == nil)
        #expect(DatabaseFailure(DatabaseUnavailable("database")) == nil)
    }
}
