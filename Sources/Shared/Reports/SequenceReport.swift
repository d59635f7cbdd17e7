import Foundation
import Logging
import PostgresNIO

/// The figures of the dashboard's sequence pages: how each sequence's enrollments stand, which
/// sources feed it, what each step's deliveries did and why enrollments ended.
public struct SequenceReport: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Sequence queries over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A sequence with its enrollments by status and the sources whose new leads enter it.
    public struct Summary: Sendable, Hashable {
        public var sequence: FollowUpSequence
        /// Enrollments by status (`active`, `completed`, `exited`, `expired`).
        public var enrollments: [String: Int]
        /// The names of the sources that enroll their new leads, by name.
        public var sources: [String]
    }

    /// What the deliveries of one step did, across every enrollment of a sequence.
    public struct StepCounts: Sendable, Hashable {
        /// The step's index (0-based); negative for the `on_reply` deliveries (-1 is the first).
        public var stepIndex: Int
        /// Deliveries by status (`succeeded`, `skipped`, `dead`, `scheduled`, …).
        public var statuses: [String: Int]
    }

    /// How many enrollments ended one way.
    public struct Ending: Sendable, Hashable {
        /// `completed`, `exited` or `expired`.
        public var status: String
        /// The part of the exit reason before its first `:` (`replied`, `goal_reached`), or the status.
        public var reason: String
        public var count: Int
    }

    /// The sequences of one tenant (all when nil), by name, with their figures.
    public func summaries(tenantId: UUID?) async throws -> [Summary] {
        let sequences = try await SequenceStore(client: client, logger: logger).list(tenantId: tenantId)
        let ids = sequences.map(\.id)
        var counts: [UUID: [String: Int]] = [:]
        let countRows = try await client.query(
            """
            SELECT e.sequence_id, e.status, count(*)::int FROM sequence_enrollments e
            WHERE e.sequence_id = ANY(\(ids)::uuid[]) GROUP BY 1, 2
            """,
            logger: logger
        )
        for try await (id, status, count) in countRows.decode((UUID, String, Int).self) { counts[id, default: [:]][status] = count }
        var sources: [UUID: [String]] = [:]
        let sourceRows = try await client.query(
            "SELECT s.sequence_id, s.name FROM sources s WHERE s.sequence_id = ANY(\(ids)::uuid[]) ORDER BY s.name",
            logger: logger
        )
        for try await (id, name) in sourceRows.decode((UUID, String).self) { sources[id, default: []].append(name) }
        return sequences.map { Summary(sequence: $0, enrollments: counts[$0.id] ?? [:], sources: sources[$0.id] ?? []) }
    }

    /// The deliveries of each step of `sequenceId`'s enrollments by status, steps in order, then
    /// the `on_reply` deliveries.
    public func stepCounts(sequenceId: UUID) async throws -> [StepCounts] {
        let rows = try await client.query(
            """
            SELECT d.step_index::int, d.status, count(*)::int
            FROM deliveries d JOIN sequence_enrollments e ON e.id = d.enrollment_id
            WHERE e.sequence_id = \(sequenceId)
            GROUP BY d.step_index, d.status ORDER BY (d.step_index < 0), abs(d.step_index)
            """,
            logger: logger
        )
        var steps: [StepCounts] = []
        for try await (index, status, count) in rows.decode((Int, String, Int).self) {
            if steps.last?.stepIndex != index { steps.append(StepCounts(stepIndex: index, statuses: [:])) }
            steps[steps.count - 1].statuses[status] = count
        }
        return steps
    }

    /// How `sequenceId`'s ended enrollments ended, most frequent first.
    public func endings(sequenceId: UUID) async throws -> [Ending] {
        let rows = try await client.query(
            """
            SELECT e.status, coalesce(nullif(btrim(split_part(e.exit_reason, ':', 1)), ''), e.status) AS reason, count(*)::int
            FROM sequence_enrollments e WHERE e.sequence_id = \(sequenceId) AND e.status <> 'active'
            GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2
            """,
            logger: logger
        )
        var endings: [Ending] = []
        for try await (status, reason, count) in rows.decode((String, String, Int).self) {
            endings.append(Ending(status: status, reason: reason, count: count))
        }
        return endings
    }
}
