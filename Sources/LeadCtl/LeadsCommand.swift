import ArgumentParser
import Foundation
import Shared

/// `leadctl leads show`: find leads by id, email or phone and show where each one went.
struct LeadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leads",
        abstract: "Find leads and show their deliveries and conversation; set a lead's stage.",
        subcommands: [Show.self, Stage.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Leads matching an id, email or phone (newest first), with their payload, deliveries and attempts.",
            discussion:
                "Emails match case-insensitively; phones are normalized to E.164 with the tenant's region (US without --tenant) and also matched as typed. --by name matches part of the name, --by external-id the sender's id."
        )
        @Argument(help: "A lead id, email address or phone number.") var query: String
        @Option(help: "Tenant id or slug.") var tenant: String?
        @Option(help: "Match only as: id, email, phone, name or external-id.") var by: String?
        @Option var limit = 20
        @OptionGroup var options: GlobalOptions

        func validate() throws {
            _ = try leadQuery()
        }

        func leadQuery() throws -> LeadQuery {
            let text = query.trimmingCharacters(in: .whitespacesAndNewlines)
            switch by {
            case nil:
                guard let parsed = LeadQuery(identifier: text) else {
                    throw ValidationError("'\(query)' is not a lead id, email or phone; use --by name or --by external-id for other searches")
                }
                return parsed
            case "id":
                guard let id = Int64(text) else { throw ValidationError("'\(query)' is not a lead id") }
                return .id(id)
            case "email": return .email(text)
            case "phone": return .phone(text)
            case "name": return .name(text)
            case "external-id", "external_id": return .externalId(text)
            case let other?: throw ValidationError("--by must be id, email, phone, name or external-id, not '\(other)'")
            }
        }

        func run() async throws {
            let query = try leadQuery()
            let details = try await CommandEnvironment.run { [tenant, limit] environment in
                let tenantId = try await environment.tenantId(tenant)
                let lookup = LeadLookup(client: environment.postgres, logger: environment.logger)
                let found = try await lookup.find(query, tenantId: tenantId, limit: limit)
                return try await lookup.details(leadIds: found.map(\.id), tenantId: tenantId)
            }
            try emit(details, json: options.json) {
                details.isEmpty ? ["no lead matches '\(self.query)'"] : details.flatMap { LeadsCommand.lines($0) + [""] }
            }
        }
    }

    struct Stage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a lead's stage: \(LeadStage.names).",
            discussion: "Messaging moves leads to contacted and engaged by itself; use this for qualified, appointment_set, completed or lost."
        )
        @Argument(help: "The lead id.") var id: Int64
        @Argument(help: "The new stage.") var stage: String
        @Option(help: "Tenant id or slug (refuses a lead of another tenant).") var tenant: String?
        @OptionGroup var options: GlobalOptions

        func validate() throws {
            guard LeadStage(rawValue: stage) != nil else { throw ValidationError("stage must be one of \(LeadStage.names)") }
        }

        struct Moved: Encodable {
            var lead: Int64
            var stage: String
            var changed: Bool
        }

        func run() async throws {
            let target = LeadStage(rawValue: stage) ?? .new
            let moved = try await CommandEnvironment.run { [id, tenant] environment in
                let actor = "leadctl:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")"
                let changed = try await LeadStageStore(client: environment.postgres, logger: environment.logger)
                    .move(leadId: id, tenantId: try await environment.tenantId(tenant), to: target, actor: actor)
                return Moved(lead: id, stage: target.rawValue, changed: changed)
            }
            try emit(moved, json: options.json) { ["lead #\(moved.lead) \(moved.changed ? "is now" : "was already") \(moved.stage)"] }
        }
    }

    /// A lead, its deliveries and their attempts as text.
    static func lines(_ lead: LeadDetail) -> [String] {
        let summary = lead.summary
        let name = [summary.firstName, summary.lastName].compactMap { $0 }.joined(separator: " ")
        var fields: [String] = []
        if !name.isEmpty { fields.append("name: \(name)") }
        if let email = summary.email { fields.append("email: \(email)") }
        if let phone = summary.phone ?? summary.phoneRaw {
            fields.append("phone: \(phone)" + (summary.phoneRaw.map { $0 == phone ? "" : " (typed \($0))" } ?? ""))
        }
        if let postalCode = lead.postalCode { fields.append("postal code: \(postalCode)") }
        if let externalId = summary.externalId { fields.append("external id: \(externalId)") }
        if !lead.flags.isEmpty { fields.append("flags: \(lead.flags.joined(separator: ","))") }
        var lines = [
            "lead #\(summary.id)  \(summary.receivedAt.formatted(.iso8601))  \(summary.sourceName) (\(summary.channel))  \(summary.status)",
            "  " + fields.joined(separator: "  "),
        ]
        var stage = "  stage: \(lead.stage)"
        if let contacted = lead.lastContactedAt { stage += "  last contacted \(contacted.formatted(.iso8601))" }
        if let replied = lead.lastReplyAt { stage += "  last reply \(replied.formatted(.iso8601))" }
        lines.append(stage)
        if let notes = lead.notes { lines.append("  notes: \(notes)") }
        if !lead.extra.isEmpty { lines.append("  extra: \(compactJSON(lead.extra))") }
        if let raw = lead.raw { lines.append("  raw: \(compactJSON(raw))") }
        if lead.deliveries.isEmpty { lines.append("  no deliveries") }
        for delivery in lead.deliveries {
            let crm = delivery.externalId.map { "  crm id \($0)" } ?? ""
            let error = delivery.lastError.map { "  last error: \($0)" } ?? ""
            lines.append(
                "  → \(delivery.destinationName) (\(delivery.destinationKind))  delivery #\(delivery.id)  \(delivery.status)  attempts=\(delivery.attempts)\(crm)\(error)"
            )
            for attempt in delivery.attemptLog {
                let http = attempt.httpStatus.map { " HTTP \($0)" } ?? ""
                let reason = [attempt.errorClass, attempt.errorMessage].compactMap { $0 }.joined(separator: ": ")
                let duplicate = attempt.possibleDuplicate == true ? "  possible duplicate" : ""
                lines.append(
                    "      #\(attempt.attempt)  \(attempt.startedAt.formatted(.iso8601))  \(attempt.outcome)\(http)  \(attempt.durationMilliseconds) ms"
                        + duplicate + (reason.isEmpty ? "" : "  \(reason)")
                )
                if let excerpt = attempt.responseExcerpt, !excerpt.isEmpty { lines.append("         response: \(excerpt.prefix(300))") }
            }
        }
        for enrollment in lead.enrollments {
            let heading = "  sequence \(enrollment.sequence) v\(enrollment.sequenceVersion): \(enrollment.status)"
            guard enrollment.status == "active" else {
                lines.append(heading + (enrollment.exitReason.map { " (\($0))" } ?? ""))
                continue
            }
            let destination = enrollment.nextStepDestination.map { " (\($0))" } ?? ""
            var next = "\(heading), next step \(enrollment.nextStep + 1)\(destination)"
            if let due = enrollment.nextDueAt {
                next += " due \(ScheduledStep.utcText(due))" + (enrollment.nextDueLocal.map { " (\($0))" } ?? "")
                next += enrollment.nextStepWindow.map { ", window \($0)" } ?? ""
            } else {
                next += " being scheduled"
            }
            lines.append(next)
        }
        if !lead.conversation.isEmpty { lines.append("  conversation:") }
        for message in lead.conversation {
            let arrow = message.direction == "in" ? "←" : "→"
            let status = message.status.map { " [\($0)\(message.errorCode.map { " \($0)" } ?? "")]" } ?? ""
            let subject = message.subject.map { "[\($0)] " } ?? ""
            lines.append(
                "    \(message.at.formatted(.iso8601)) \(arrow) \(message.channel) \(message.address)\(status): \(subject)\(oneLine(message.body ?? ""))"
            )
        }
        return lines
    }

    /// `text` on one line: line breaks shown as ` ↵ ` (an email's body keeps the conversation one line per message).
    static func oneLine(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " ↵ ")
    }

    /// `value` as one line of JSON.
    static func compactJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }
}
