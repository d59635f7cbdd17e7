import ArgumentParser
import Foundation
import Shared

/// `leadctl export`: one row per lead × delivery as CSV or NDJSON, streamed in batches.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export leads with their deliveries (one row per lead × delivery) as CSV or NDJSON.",
        discussion:
            "Leads received since --since. CSV cells that a spreadsheet would run as a formula are prefixed with '. Rows are read 5,000 at a time, so any size streams in flat memory."
    )
    @Option(help: "succeeded, dead or all (all also lists leads without deliveries).") var status = "all"
    @Option(help: "Leads received since: 24h, 7d, 90m or an ISO 8601 date.") var since: SinceOption
    @Option(help: "Source id or name.") var source: String?
    @Option(help: "Tenant id or slug.") var tenant: String?
    @Option(help: "csv or ndjson.") var format = "csv"
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var options: GlobalOptions

    func validate() throws {
        guard LeadExportFilter.Status(rawValue: status) != nil else { throw ValidationError("--status must be succeeded, dead or all") }
        guard LeadExportFormat(rawValue: format) != nil else { throw ValidationError("--format must be csv or ndjson") }
    }

    func run() async throws {
        guard let status = LeadExportFilter.Status(rawValue: status), let format = LeadExportFormat(rawValue: format) else {
            throw ValidationError("--status must be succeeded, dead or all and --format csv or ndjson")
        }
        let rows = try await CommandEnvironment.run { [since, source, tenant, output] environment in
            let tenantId = try await environment.tenantId(tenant)
            var filter = LeadExportFilter(status: status, since: since.date, tenantId: tenantId)
            if let source { filter.sourceId = try await environment.sources.find(source, tenantId: tenantId).id }
            let export = LeadExport(client: environment.postgres, logger: environment.logger)
            guard let output else { return try await export.write(filter, format: format, to: .standardOutput()) }
            return try await ExportOutput.withFile(output) { file in try await export.write(filter, format: format, to: file) }
        }
        struct Summary: Encodable {
            var rows: Int
            var output: String?
            var format: String
        }
        let summary = Summary(rows: rows, output: output, format: format.rawValue)
        if output == nil {
            // The rows went to standard output: the summary goes to standard error.
            FileHandle.standardError.write(Data("\(rows) rows exported\n".utf8))
        } else {
            try emit(summary, json: options.json) { ["\(rows) rows written to \(output ?? "")"] }
        }
    }
}
