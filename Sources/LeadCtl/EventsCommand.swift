import ArgumentParser
import Foundation
import Shared

/// `leadctl events list|show|replay`: the webhook requests as received, and replaying one after
/// its source's mapping or secrets were fixed.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Inspect and replay inbound webhook events.",
        subcommands: [List.self, Show.self, Replay.self]
    )

    static func lines(_ event: InboundEvent) -> [String] {
        let leads = event.leadIds.isEmpty ? "" : "  leads=\(event.leadIds.map(String.init).joined(separator: ","))"
        let replay = event.replayOf.map { "  replay_of=\($0)" } ?? ""
        return [
            "#\(event.id)  \(event.receivedAt.formatted(.iso8601))  \(event.method)  \(event.outcome)  \(event.bodySize) bytes\(leads)\(replay)"
                + (event.reason.map { "  reason: \($0)" } ?? "")
        ]
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest events.")
        @Option(help: "Tenant id or slug.") var tenant: String?
        @Option(help: "Source id or name.") var source: String?
        @Option(help: "Only this outcome (accepted, duplicate, rejected, bad_signature, ignored, too_large, verification, pending_fetch).")
        var outcome: String?
        @Option var limit = 50
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let events = try await CommandEnvironment.run { [tenant, source, outcome, limit] environment in
                let tenantId = try await environment.tenantId(tenant)
                var sourceId: UUID?
                if let source { sourceId = try await environment.sources.find(source, tenantId: tenantId).id }
                return try await InboundEventStore(client: environment.postgres, logger: environment.logger)
                    .list(tenantId: tenantId, sourceId: sourceId, outcome: outcome, limit: limit)
            }
            try emit(events, json: options.json) { events.flatMap(EventsCommand.lines) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One event with its headers and body.")
        @Argument var id: Int64
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let event = try await CommandEnvironment.run { [id] environment in
                try await InboundEventStore(client: environment.postgres, logger: environment.logger).find(id)
            }
            try emit(event, json: options.json) {
                EventsCommand.lines(event) + event.headers.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
                    + ["", String(decoding: event.body, as: UTF8.self)]
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Process a stored event again with the source's current mapping (a new event records the result)."
        )
        @Argument var id: Int64
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let answer = try await CommandEnvironment.run { [id] environment in
                let answer: WebhookIngestor.Answer
                do {
                    answer = try await InboundEventReplay(
                        postgres: environment.postgres,
                        secretBox: environment.configuration.secretBox,
                        logger: environment.logger
                    ).replay(id, tenantId: nil)
                } catch let refusal as InboundEventReplay.Refusal {
                    throw ValidationError(refusal.description)
                }
                try await environment.enqueueNow(answer.deliveryIds)
                return answer
            }
            print(String(decoding: answer.body, as: UTF8.self))
            if answer.status >= 400 { throw ExitCode(1) }
        }
    }
}
