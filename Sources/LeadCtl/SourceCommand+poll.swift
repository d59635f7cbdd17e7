import ArgumentParser
import Foundation
import Shared

extension SourceCommand {
    /// `leadctl source poll <id or name> [--tenant] [--accept-header]`: makes a polled source due now.
    struct Poll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Poll a sheet or Shopmonkey source now instead of at its next interval.",
            discussion: "A worker picks it up within moments; `leadctl source show` then lists the poll."
        )
        @Argument(help: ArgumentHelp("Id or name.", valueName: "source")) var reference: String
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
        @Flag(help: "Take the sheet's current header as the expected one (after a 'header changed' error).") var acceptHeader = false
        @OptionGroup var options: GlobalOptions

        /// What was done, as `--json` prints it.
        struct Requested: Encodable {
            var sourceId: UUID
            var name: String
            var dueAt: Date
            var acceptHeader: Bool
            var enabled: Bool
            /// The worker polling it at this moment, if any.
            var pollingNow: String?

            enum CodingKeys: String, CodingKey {
                case name, enabled
                case sourceId = "source_id"
                case dueAt = "due_at"
                case acceptHeader = "accept_header"
                case pollingNow = "polling_now"
            }
        }

        func run() async throws {
            let requested = try await CommandEnvironment.run { [reference, tenant, acceptHeader] environment in
                let source = try await environment.sources.find(reference, tenantId: environment.tenantId(tenant))
                let polls = SourcePollStore(client: environment.postgres, logger: environment.logger)
                let due = try await polls.pollNow(sourceId: source.id, tenantId: source.tenantId, acceptHeader: acceptHeader)
                let holder = try await polls.status(sourceId: source.id, tenantId: source.tenantId, runs: 0)?.leaseHolder
                return Requested(
                    sourceId: source.id,
                    name: source.name,
                    dueAt: due,
                    acceptHeader: acceptHeader,
                    enabled: source.enabled,
                    pollingNow: holder
                )
            }
            try emit(requested, json: options.json) { Self.lines(requested) }
        }

        static func lines(_ requested: Requested) -> [String] {
            var lines = ["\(requested.name): due now (\(requested.dueAt.formatted(.iso8601))); a worker polls it within moments."]
            if let holder = requested.pollingNow { lines.append("Worker \(holder) is polling it right now; it polls again after that.") }
            if requested.acceptHeader { lines.append("That poll takes the sheet's current header as the expected one.") }
            if !requested.enabled { lines.append("It is disabled: the workers do not poll it until it is enabled (leadctl source update --enable).") }
            return lines
        }
    }
}
