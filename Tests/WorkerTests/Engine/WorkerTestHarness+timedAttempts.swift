import Foundation
import PostgresNIO
import Shared
import TestSupport

extension WorkerTestHarness {
    /// One attempt of a delivery: its outcome, error class and message (empty when none) and when
    /// it started (seconds since 1970), to check the wait between attempts.
    typealias TimedAttempt = (outcome: String, errorClass: String, message: String, startedAt: Double)

    /// The attempts of delivery `id`, in order.
    func timedAttempts(delivery id: Int64) async throws -> [TimedAttempt] {
        try await stores.postgres.query(
            """
            SELECT outcome, coalesce(error_class, ''), coalesce(error_message, ''), extract(epoch FROM started_at)::float8
            FROM delivery_attempts WHERE delivery_id = \(id) ORDER BY attempt
            """
        ).decode((String, String, String, Double).self).rows().map { TimedAttempt($0.0, $0.1, $0.2, $0.3) }
    }
}
