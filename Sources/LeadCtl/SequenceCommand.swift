import ArgumentParser
import Foundation
import Shared

/// `leadctl sequence create|list|show|update|disable|enable|preview`: follow-up sequences, whose
/// whole definition is one JSON document (`--config`, or `--config @file.json` to keep it in
/// version control).
struct SequenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sequence",
        abstract: "Create, list, show, change and preview follow-up sequences.",
        subcommands: [Create.self, List.self, Show.self, Update.self, Disable.self, Enable.self, Preview.self, Enroll.self, Unenroll.self]
    )

    /// The definition JSON of `--config`: inline, or `@path` to read a file.
    static func definitionJSON(_ text: String) throws -> JSONValue {
        var source = text
        if text.hasPrefix("@") {
            let path = String(text.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("--config: cannot read \(path)") }
            source = String(decoding: data, as: UTF8.self)
        }
        do {
            return try JSONValue.parse(source)
        } catch {
            throw ValidationError("--config: not JSON: \(error)")
        }
    }

    /// Checks `json` against `tenant`'s destinations.
    static func definition(_ json: JSONValue, tenant: Tenant, environment: CommandEnvironment) async throws -> SequenceDefinition {
        let destinations = try await environment.destinations.list(tenantId: tenant.id)
        do {
            return try SequenceDefinition(json: json, tenant: tenant, destinations: destinations)
        } catch {
            throw ValidationError("--config: \(error)")
        }
    }

    static var actor: String { "leadctl:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")" }

    /// Text lines for `sequence`: its state and steps.
    static func lines(_ sequence: FollowUpSequence) -> [String] {
        var lines = [
            "\(sequence.name)  v\(sequence.version)  \(sequence.enabled ? "enabled" : "disabled")  id \(sequence.id.uuidString.lowercased())"
        ]
        guard let definition = try? sequence.definition() else { return lines + ["  (the stored definition cannot be read)"] }
        lines.append("  window: \(definition.window)")
        for (index, step) in definition.steps.enumerated() {
            var line = "  \(index + 1). \(step.delay) → \(step.destinationName)"
            if !step.unless.isEmpty { line += "  unless \(step.unless.map(\.rawValue).joined(separator: ", "))" }
            if let check = step.onlyIfCRMStatus { line += "  only if status is \"\(check.label)\" (via \(check.destinationName))" }
            if let window = step.window { line += "  window \(window)" }
            lines.append(line)
        }
        var exits = definition.exitOn.map(\.rawValue).sorted()
        if let goal = definition.goalStage { exits.append("goal stage \(goal.rawValue)") }
        lines.append(
            "  ends on: \(exits.joined(separator: ", ")); re-entry: \(definition.reentry.rawValue); expires \(StepDelay.elapsed(seconds: definition.expireAfterSeconds)) late"
        )
        if !definition.onReply.isEmpty { lines.append("  on reply: \(definition.onReply.map(\.name).joined(separator: ", "))") }
        return lines
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a sequence from its JSON definition.")
        @Option(help: "Tenant id or slug.") var tenant: String
        @Option(help: "The sequence's name.") var name: String
        @Option(help: "The definition JSON, or @file.json.") var config: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let json = try SequenceCommand.definitionJSON(config)
            let created = try await CommandEnvironment.run { [tenant, name] environment in
                let tenantRecord = try await environment.tenants.find(tenant)
                let definition = try await SequenceCommand.definition(json, tenant: tenantRecord, environment: environment)
                return try await SequenceStore(client: environment.postgres, logger: environment.logger)
                    .create(tenantId: tenantRecord.id, name: name, definition: definition, actor: SequenceCommand.actor)
            }
            try emit(created, json: options.json) { SequenceCommand.lines(created) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The sequences, by name.")
        @Option(help: "Tenant id or slug (default: all).") var tenant: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let sequences = try await CommandEnvironment.run { [tenant] environment in
                try await SequenceStore(client: environment.postgres, logger: environment.logger).list(tenantId: environment.tenantId(tenant))
            }
            try emit(sequences, json: options.json) {
                sequences.isEmpty
                    ? ["no sequences"]
                    : sequences.map { sequence in
                        let steps = (try? sequence.definition().steps.count).map { "\($0) steps" } ?? "?"
                        return "\(sequence.name)  v\(sequence.version)  \(sequence.enabled ? "enabled" : "disabled")  \(steps)"
                    }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A sequence's window, steps, exits and what its runs came to.")
        @Argument(help: "Id or name.") var sequence: String
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let shown = try await CommandEnvironment.run { [sequence, tenant] environment in
                let found = try await SequenceStore(client: environment.postgres, logger: environment.logger)
                    .find(sequence, tenantId: environment.tenantId(tenant))
                let report = SequenceReport(client: environment.postgres, logger: environment.logger)
                return Shown(sequence: found, figures: try await Figures.load(found, report: report))
            }
            try emit(shown, json: options.json) { SequenceCommand.lines(shown.sequence) + shown.figures.lines }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a sequence (enrollments in flight keep the steps they started with)."
        )
        @Argument(help: "Id or name.") var sequence: String
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
        @Option(help: "A new name.") var name: String?
        @Option(help: "The whole new definition JSON, or @file.json.") var config: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let json = try config.map(SequenceCommand.definitionJSON)
            let updated = try await CommandEnvironment.run { [sequence, tenant, name] environment in
                let store = SequenceStore(client: environment.postgres, logger: environment.logger)
                let record = try await store.find(sequence, tenantId: environment.tenantId(tenant))
                var definition: SequenceDefinition?
                if let json {
                    let tenantRecord = try await environment.tenants.find(record.tenantId.uuidString)
                    definition = try await SequenceCommand.definition(json, tenant: tenantRecord, environment: environment)
                }
                return try await store.update(record, name: name, definition: definition, actor: SequenceCommand.actor)
            }
            try emit(updated, json: options.json) { SequenceCommand.lines(updated) }
        }
    }

    /// Turns new enrollments off or on.
    static func setEnabled(_ enabled: Bool, _ sequence: String, tenant: String?, json: Bool) async throws {
        let updated = try await CommandEnvironment.run { environment in
            let store = SequenceStore(client: environment.postgres, logger: environment.logger)
            let record = try await store.find(sequence, tenantId: environment.tenantId(tenant))
            return try await store.update(record, enabled: enabled, actor: SequenceCommand.actor)
        }
        try emit(updated, json: json) { SequenceCommand.lines(updated) }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop new enrollments (those in flight go on).")
        @Argument(help: "Id or name.") var sequence: String
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws { try await SequenceCommand.setEnabled(false, sequence, tenant: tenant, json: options.json) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Allow new enrollments again.")
        @Argument(help: "Id or name.") var sequence: String
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws { try await SequenceCommand.setEnabled(true, sequence, tenant: tenant, json: options.json) }
    }

    /// One step of a preview, for `--json`.
    struct PreviewStep: Encodable {
        var step: Int
        var destination: String
        var dueUTC: String
        var dueLocal: String
        var window: String
        var moved: Bool

        enum CodingKeys: String, CodingKey {
            case step, destination, window, moved
            case dueUTC = "due_utc"
            case dueLocal = "due_local"
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "When each step would send if a lead entered now (or --at), in UTC and in the sequence's zone."
        )
        @Argument(help: "Id or name.") var sequence: String
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
        @Option(help: "The enrollment time, ISO 8601 (default: now).") var at: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            var start = Date()
            if let at {
                guard let parsed = try? Date(at, strategy: .iso8601) else {
                    throw ValidationError("--at: not an ISO 8601 time like 2025-03-27T18:30:00Z")
                }
                start = parsed
            }
            let found = try await CommandEnvironment.run { [sequence, tenant] environment in
                try await SequenceStore(client: environment.postgres, logger: environment.logger)
                    .find(sequence, tenantId: environment.tenantId(tenant))
            }
            let definition: SequenceDefinition
            do {
                definition = try found.definition()
            } catch {
                throw ValidationError("the stored definition cannot be read: \(error)")
            }
            let steps = zip(definition.steps, definition.preview(enrolledAt: start)).enumerated().map { index, pair in
                PreviewStep(
                    step: index + 1,
                    destination: pair.0.destinationName,
                    dueUTC: pair.1.dueUTC,
                    dueLocal: pair.1.dueLocal,
                    window: pair.1.window.description,
                    moved: pair.1.wasMoved
                )
            }
            try emit(steps, json: options.json) {
                ["if a lead entered at \(ScheduledStep.utcText(start)):"]
                    + steps.map { step in
                        "  \(step.step). \(step.destination)  \(step.dueUTC)  (\(step.dueLocal))\(step.moved ? "  moved into \(step.window)" : "")"
                    }
            }
        }
    }

    /// Text for an enrollment.
    static func line(_ enrollment: SequenceEnrollment) -> String {
        let ended = enrollment.endedAt.map { "  ended \(ScheduledStep.utcText($0))" } ?? ""
        let reason = enrollment.exitReason.map { "  (\($0))" } ?? ""
        return "enrollment \(enrollment.id)  lead \(enrollment.leadId)  \(enrollment.status)\(reason)  v\(enrollment.sequenceVersion)  "
            + "next step \(enrollment.nextStep + 1)  enrolled \(ScheduledStep.utcText(enrollment.enrolledAt)) by \(enrollment.enrolledBy)\(ended)"
    }

    /// Which lead in which sequence `enroll` and `unenroll` act on.
    struct EnrollmentTarget: ParsableArguments {
        @Argument(help: "Id or name.") var sequence: String
        @Option(help: "The lead's id.") var lead: Int64
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?

        /// The sequence, and the lead's id.
        func resolve(in environment: CommandEnvironment) async throws -> (FollowUpSequence, Int64) {
            let found = try await SequenceStore(client: environment.postgres, logger: environment.logger)
                .find(sequence, tenantId: environment.tenantId(tenant))
            return (found, lead)
        }
    }

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enroll a lead (one active enrollment per lead and sequence; the sequence's re-entry policy applies)."
        )
        @OptionGroup var target: EnrollmentTarget
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let result = try await CommandEnvironment.run { [target] environment in
                let (found, lead) = try await target.resolve(in: environment)
                return try await SequenceEnrollmentStore(client: environment.postgres, logger: environment.logger)
                    .enroll(leadId: lead, in: found, actor: SequenceCommand.actor)
            }
            switch result {
            case .enrolled(let enrollment): try emit(enrollment, json: options.json) { [SequenceCommand.line(enrollment)] }
            case .alreadyActive(let enrollment):
                try emit(enrollment, json: options.json) { ["already enrolled: " + SequenceCommand.line(enrollment)] }
            case .reentryRefused(let previous):
                throw ValidationError("the sequence allows one enrollment per lead (reentry: never); the lead had \(SequenceCommand.line(previous))")
            case .sequenceDisabled: throw ValidationError("the sequence is disabled: enable it first (leadctl sequence enable)")
            }
        }
    }

    struct Unenroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a lead's active enrollment (no further steps are sent).")
        @OptionGroup var target: EnrollmentTarget
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let ended = try await CommandEnvironment.run { [target] environment in
                let (found, lead) = try await target.resolve(in: environment)
                return try await SequenceEnrollmentStore(client: environment.postgres, logger: environment.logger)
                    .unenroll(leadId: lead, from: found, reason: "unenrolled by \(SequenceCommand.actor)", actor: SequenceCommand.actor)
            }
            guard let ended else { throw ValidationError("lead \(target.lead) has no active enrollment in \(target.sequence)") }
            try emit(ended, json: options.json) { [SequenceCommand.line(ended)] }
        }
    }
}
