import Logging
import PostgresNIO

/// The one door for intake writes that are their own transaction: through an
/// ``IntakeGroupCommit`` when the process runs one (the web process), else one
/// `CALL record_intake(…)` per write (leadctl's replays, tests).
public struct LeadIntake: Sendable {
    /// The database the writes go to.
    public let postgres: PostgresClient
    let groupCommit: IntakeGroupCommit?
    let logger: Logger

    /// Writes each write on its own over `postgres`.
    public init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.groupCommit = nil
        self.logger = logger
    }

    /// Writes through `groupCommit`.
    public init(groupCommit: IntakeGroupCommit) {
        self.postgres = groupCommit.postgres
        self.groupCommit = groupCommit
        self.logger = groupCommit.logger
    }

    /// Stores `write` and returns after the COMMIT (retried on a deadlock).
    public func write(_ write: IntakeWrite) async throws -> IntakeWriteResult {
        let result: IntakeWriteResult
        if let groupCommit {
            do {
                result = try await groupCommit.write(write)
            } catch is IntakeShutDown {
                result = try await recordAlone(write)
            }
        } else {
            result = try await recordAlone(write)
        }
        if case .written(_, let outcomes, _) = result { LeadWriter.count(outcomes, origin: write.origin) }
        return result
    }

    /// Records `writes` in one call that commits before it returns (retried on a deadlock). When
    /// the task is cancelled (its time limit passed) the connection is closed rather than waited
    /// on, so a stalled server cannot hold the write (``PostgresClient/withAbandonableConnection(_:)``).
    func record(_ writes: [IntakeWrite]) async throws -> [IntakeWriteResult] {
        let statement = RecordIntakeStatement(writes: writes)
        let logger = logger
        return try await postgres.retryingConflicts(logger: logger) {
            try await postgres.withAbandonableConnection { connection in
                var row: RecordIntakeStatement.Row?
                for try await value in try await connection.execute(statement, logger: logger) { row = value }
                guard let row else { throw LeadWriteError(message: "record_intake returned no row") }
                return try statement.results(of: row)
            }
        }
    }

    /// Records one write; a concurrent request that took its event's external id first makes it a re-delivery.
    func recordAlone(_ write: IntakeWrite) async throws -> IntakeWriteResult {
        do {
            guard let result = try await record([write]).first else { throw LeadWriteError(message: "record_intake returned no result") }
            return result
        } catch  where write.event != nil && Self.isConcurrentRedelivery(error) {
            return .redelivery
        }
    }

    /// Whether `error` is `record_intake` finding that a concurrent request took an event's external id first.
    static func isConcurrentRedelivery(_ error: any Error) -> Bool {
        error is PSQLError && DatabaseFailure(error) == .uniqueViolation(constraint: "inbound_events_external_event_key")
    }
}
