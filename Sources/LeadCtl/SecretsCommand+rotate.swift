import ArgumentParser
import Foundation
import Shared

extension SecretsCommand {
    /// `leadctl secrets rotate-key` — re-seals every stored secret under the current key.
    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Re-seal every destination and source secret with the current LEADRELAY_SECRET_KEY.",
            discussion: """
                Procedure: generate a new key (leadctl secrets generate-key); on every process (web, worker \
                and wherever leadctl runs) set LEADRELAY_SECRET_KEY_PREVIOUS to the old key and \
                LEADRELAY_SECRET_KEY to the new one and redeploy; run this command; when it reports nothing \
                unreadable, remove LEADRELAY_SECRET_KEY_PREVIOUS everywhere. Values already sealed with the \
                current key are left untouched, so running it again is safe. Each batch is one transaction. \
                Exits non-zero when a value opens with neither key.
                """
        )

        @Flag(help: "Only count what would be re-sealed; change nothing.") var dryRun = false
        @Option(help: "Rows per transaction (1–10000).") var batchSize = 500
        @OptionGroup var options: GlobalOptions

        func validate() throws {
            guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be from 1 to 10000") }
        }

        func run() async throws {
            let report = try await CommandEnvironment.run { [dryRun, batchSize] environment in
                try await SecretRotation(
                    client: environment.postgres,
                    box: environment.configuration.secretBox,
                    logger: environment.logger,
                    batchSize: batchSize
                ).run(dryRun: dryRun)
            }
            try emit(report, json: options.json) { Self.lines(report) }
            if !report.isComplete { throw ExitCode.failure }
        }

        static func lines(_ report: SecretRotation.Report) -> [String] {
            let verb = report.dryRun ? "would re-seal" : "re-sealed"
            var lines = [
                report.dryRun ? "dry run: nothing was changed" : nil,
                line("destinations", report.destinations, verb: verb),
                line("sources", report.sources, verb: verb),
            ].compactMap { $0 }
            let unreadable =
                report.destinations.unreadable.map { "destination \($0.uuidString.lowercased())" }
                + report.sources.unreadable.map { "source \($0.uuidString.lowercased())" }
            if unreadable.isEmpty {
                if !report.dryRun { lines.append("every secret is sealed with the current key; LEADRELAY_SECRET_KEY_PREVIOUS can be removed") }
            } else {
                lines.append(
                    "opened with neither LEADRELAY_SECRET_KEY nor LEADRELAY_SECRET_KEY_PREVIOUS (left unchanged; set LEADRELAY_SECRET_KEY_PREVIOUS to the key they were sealed with and run again):"
                )
                lines += unreadable.map { "  \($0)" }
            }
            return lines
        }

        private static func line(_ table: String, _ outcome: SecretRotation.Outcome, verb: String) -> String {
            "\(table): \(outcome.scanned) sealed, \(verb) \(outcome.resealed), already current \(outcome.alreadyCurrent), unreadable \(outcome.unreadable.count)"
        }
    }
}
