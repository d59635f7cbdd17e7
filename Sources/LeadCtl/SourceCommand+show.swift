import ArgumentParser
import Foundation
import Shared

extension SourceCommand {
    /// `leadctl source show <id or name> [--tenant]`: the source, and for a source the workers poll,
    /// how polling goes, its newest polls and the last poll's rejected rows.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one source (and, for a polled source, how its polling goes).")
        @Argument(help: ArgumentHelp("Id or name.", valueName: "source")) var reference: String
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
        @Option(help: "How many of the newest polls to list.") var runs = 10
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let (source, poll) = try await CommandEnvironment.run { [reference, tenant, runs] environment in
                let source = try await environment.sources.find(reference, tenantId: environment.tenantId(tenant))
                let polls = SourcePollStore(client: environment.postgres, logger: environment.logger)
                return (source, try await polls.status(sourceId: source.id, tenantId: source.tenantId, runs: max(0, runs)))
            }
            let now = Date()
            let shown = ShownSource(source: source, poll: poll.map { ShownSource.Poll(status: $0, summary: $0.summary(now: now)) })
            try emit(shown, json: options.json) {
                let command = "leadctl source poll \(source.id.uuidString.lowercased())"
                guard let poll else { return SourceCommand.lines(source) }
                let disabled = source.enabled ? [] : ["disabled: the workers do not poll it until it is enabled"]
                return SourceCommand.lines(source) + disabled + poll.reportLines(now: now, pollCommand: command)
            }
        }
    }

    /// A source as `show --json` prints it: its fields, and `poll` (the polling state with its
    /// `summary` line) for a polled source.
    struct ShownSource: Encodable {
        /// The polling state and its summary line, in one object.
        struct Poll: Encodable {
            var status: SourcePollStatus
            var summary: String

            func encode(to encoder: any Encoder) throws {
                try status.encode(to: encoder)
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(summary, forKey: .summary)
            }
        }
        var source: Source
        var poll: Poll?

        enum Keys: String, CodingKey { case poll, summary }

        func encode(to encoder: any Encoder) throws {
            try source.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encodeIfPresent(poll, forKey: .poll)
        }
    }
}
