import ArgumentParser
import Foundation
import Shared

/// `leadctl deliveries list|retry`: find failed deliveries and put them back in the queue.
struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries",
        abstract: "List and retry deliveries.",
        subcommands: [List.self, Retry.self]
    )

    static func lines(_ record: DeliveryRecord) -> [String] {
        let http = record.lastHTTPStatus.map { " HTTP \($0)" } ?? ""
        let error = record.lastError.map { "  \($0)" } ?? ""
        return [
            "#\(record.id)  lead \(record.leadId)  \(record.sourceName) → \(record.destinationName)  \(record.status)  attempts=\(record.attempts)\(http)\(error)"
        ]
    }

    struct Filters: ParsableArguments {
        @Option(help: "Tenant id or slug.") var tenant: String?
        @Option(help: "pending, queued, processing, succeeded, retrying, dead or skipped.") var status: String?
        @Option(help: "Destination id or name.") var destination: String?
        @Option(help: "Source id or name.") var source: String?
        @Option(help: "Updated since: 24h, 7d, 90m or an ISO 8601 date.") var since: SinceOption?

        func filter(_ environment: CommandEnvironment, ids: [Int64]? = nil) async throws -> DeliveryFilter {
            let tenantId = try await environment.tenantId(tenant)
            var filter = DeliveryFilter(tenantId: tenantId, status: status, since: since?.date, ids: ids)
            if let destination { filter.destinationId = try await environment.destinations.find(destination, tenantId: tenantId).id }
            if let source { filter.sourceId = try await environment.sources.find(source, tenantId: tenantId).id }
            return filter
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliveries matching the filters, newest first.")
        @OptionGroup var filters: Filters
        @Option var limit = 100
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let records = try await CommandEnvironment.run { [filters, limit] environment in
                try await DeliveryOperations(client: environment.postgres, logger: environment.logger)
                    .list(try await filters.filter(environment), limit: limit)
            }
            try emit(records, json: options.json) { records.flatMap(DeliveriesCommand.lines) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retry dead or retrying deliveries: by id, or every one matching the filters with --all-dead / --all."
        )
        @Argument(help: "Delivery ids.") var ids: [Int64] = []
        @Flag(help: "Every dead delivery matching the filters.") var allDead = false
        @Flag(help: "Every dead or retrying delivery matching the filters.") var all = false
        @Flag(help: "Only count what would be retried.") var dryRun = false
        @OptionGroup var filters: Filters
        @OptionGroup var options: GlobalOptions

        func validate() throws {
            if ids.isEmpty && !allDead && !all { throw ValidationError("give delivery ids, or --all-dead / --all with filters") }
        }

        func run() async throws {
            let retried = try await CommandEnvironment.run { [ids, allDead, dryRun, filters] environment in
                var filter = try await filters.filter(environment, ids: ids.isEmpty ? nil : ids)
                if allDead { filter.status = "dead" }
                let actor = "leadctl:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")"
                let retried = try await DeliveryOperations(client: environment.postgres, logger: environment.logger)
                    .retry(filter, actor: actor, dryRun: dryRun)
                if !dryRun { try await environment.enqueueNow(retried) }
                return retried
            }
            struct Summary: Encodable {
                var retried: Int
                var dryRun: Bool
                var ids: [Int64]
                enum CodingKeys: String, CodingKey {
                    case retried, ids
                    case dryRun = "dry_run"
                }
            }
            let summary = Summary(retried: retried.count, dryRun: dryRun, ids: retried)
            try emit(summary, json: options.json) {
                [dryRun ? "\(retried.count) deliveries would be retried" : "\(retried.count) deliveries queued again"]
            }
        }
    }
}
