import Foundation
import Shared

extension SequenceCommand {
    /// What a sequence's runs came to, for `leadctl sequence show`: enrollments by status, each
    /// step's deliveries by status, and why enrollments ended.
    struct Figures: Encodable {
        var enrollments: [String: Int]
        var steps: [Step]
        var endings: [Ending]

        enum CodingKeys: String, CodingKey {
            case enrollments = "enrollment_counts"
            case steps = "step_deliveries"
            case endings
        }

        struct Step: Encodable {
            /// 1-based; `on_reply` actions are `reply 1`, `reply 2`, ….
            var step: String
            var deliveries: [String: Int]
        }

        struct Ending: Encodable {
            var status: String
            var reason: String
            var count: Int
        }

        /// The figures of `sequence` from `report`.
        static func load(_ sequence: FollowUpSequence, report: SequenceReport) async throws -> Figures {
            let summary = try await report.summaries(tenantId: sequence.tenantId).first { $0.sequence.id == sequence.id }
            let steps = try await report.stepCounts(sequenceId: sequence.id).map {
                Step(step: $0.stepIndex >= 0 ? "\($0.stepIndex + 1)" : "reply \(-$0.stepIndex)", deliveries: $0.statuses)
            }
            let endings = try await report.endings(sequenceId: sequence.id).map { Ending(status: $0.status, reason: $0.reason, count: $0.count) }
            return Figures(enrollments: summary?.enrollments ?? [:], steps: steps, endings: endings)
        }

        /// `enrollments: 12 active, 30 completed, 5 exited` and one line per step and ending.
        var lines: [String] {
            func counts(_ values: [String: Int]) -> String {
                values.isEmpty ? "none" : values.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            }
            var lines = ["  enrollments: \(counts(enrollments))"]
            lines += steps.map { "  step \($0.step) deliveries: \(counts($0.deliveries))" }
            lines += endings.map { "  ended \($0.status) (\($0.reason)): \($0.count)" }
            return lines
        }
    }

    /// `sequence show --json`: the sequence and its figures.
    struct Shown: Encodable {
        var sequence: FollowUpSequence
        var figures: Figures

        func encode(to encoder: any Encoder) throws {
            try sequence.encode(to: encoder)
            try figures.encode(to: encoder)
        }
    }
}
