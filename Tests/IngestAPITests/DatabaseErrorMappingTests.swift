import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

@testable import IngestAPIApp

/// The edge maps database errors in one place: a time limit run out and the transient failures a
/// real PostgreSQL sends (a conflict that outlasted its retries, an outage) are 503 with
/// `Retry-After`, whether thrown alone or from a transaction; anything else stays a 500.
@Suite("Database error mapping at the edge")
struct DatabaseErrorMappingTests {
    /// The error `sql` fails with on `client`, optionally inside a transaction.
    static func failure(of sql: String, inTransaction: Bool, on client: PostgresClient) async -> any Error {
        let logger = TestEnvironment.logger
        do {
            if inTransaction {
                try await client.withTransaction(logger: logger) { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                }
            } else {
                try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            }
            return CancellationError()
        } catch {
            return error
        }
    }

    static func raise(_ state: String) -> String {
        "DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '\(state)'; END $$"
    }

    @Test(arguments: [false, true])
    func transientFailuresAre503WithRetryAfterAndOthersAre500(inTransaction: Bool) async throws {
        try await TestDatabase.withDatabase(migrated: false) { database in
            let errors: [String: any Error] = try await database.withClient { client in
                [
                    "conflict": await Self.failure(of: Self.raise("40001"), inTransaction: inTransaction, on: client),
                    "deadlock": await Self.failure(of: Self.raise("40P01"), inTransaction: inTransaction, on: client),
                    "shutdown": await Self.failure(of: Self.raise("57P01"), inTransaction: inTransaction, on: client),
                    "syntax": await Self.failure(of: "SELEC 1", inTransaction: inTransaction, on: client),
                ]
            }
            let router = Router()
            router.middlewares.add(ErrorMappingMiddleware())
            router.get("timeout") { _, _ -> String in throw DatabaseUnavailable("database timed out after 10 seconds") }
            router.get("failure/{name}") { _, context -> String in
                throw errors[context.parameters.get("name") ?? ""] ?? CancellationError()
            }
            try await Application(router: router, logger: TestEnvironment.logger).test(.router) { client in
                for path in ["/timeout", "/failure/conflict", "/failure/deadlock", "/failure/shutdown"] {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .serviceUnavailable, "\(path)")
                    #expect(response.headers[.retryAfter] == "5", "\(path)")
                    #expect((response.json["error"] as? [String: Any])?["code"] as? String == "database_unavailable", "\(path)")
                }
                let other = try await client.execute(uri: "/failure/syntax", method: .get)
                #expect(other.status == .internalServerError)
                #expect((other.json["error"] as? [String: Any])?["code"] as? String == "internal")
            }
        }
    }
}
