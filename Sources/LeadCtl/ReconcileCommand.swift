import ArgumentParser
import Foundation
import Shared

/// `leadctl reconcile`: check that a GoHighLevel destination still has what it accepted, and
/// optionally deliver the missing leads again.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Look up a GoHighLevel destination's succeeded deliveries in the CRM and list the contacts it does not have.",
        discussion: "By the contact id GoHighLevel returned, else by email/phone; paced by the destination's rate limit. "
            + "--retry-missing queues the missing deliveries again (audited)."
    )
    @Option(help: "Destination id or name (kind \(Reconciliation.supportedKinds.map(\.rawValue).joined(separator: " or "))).") var destination: String
    @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
    @Option(help: "Deliveries that succeeded since: 24h (default), 7d, 90m or an ISO 8601 date.") var since: SinceOption?
    @Option(help: "Check at most this many deliveries (oldest first).") var limit = 1_000
    @Flag(help: "Queue the missing deliveries again.") var retryMissing = false
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let since = since?.date ?? Date().addingTimeInterval(-86_400)
        let report = try await CommandEnvironment.run { [destination, tenant, limit, retryMissing] environment in
            let target = try await environment.destinations.find(destination, tenantId: try await environment.tenantId(tenant))
            let reconciliation = Reconciliation(
                client: environment.postgres,
                secretBox: environment.configuration.secretBox,
                policy: environment.configuration.outboundPolicy,
                logger: environment.logger
            )
            var report = try await reconciliation.check(target, since: since, limit: limit)
            if retryMissing {
                let actor = "leadctl:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")"
                report.requeued = try await reconciliation.retryMissing(report, actor: actor)
                try await environment.enqueueNow(report.requeued)
            }
            return report
        }
        try emit(report, json: options.json) { Self.lines(report, retried: retryMissing) }
    }

    static func lines(_ report: ReconcileReport, retried: Bool) -> [String] {
        var lines = [
            "\(report.destinationName): \(report.checked) succeeded deliveries since \(report.since.formatted(.iso8601)) checked, "
                + "\(report.found) found, \(report.missing.count) missing, \(report.unchecked.count) unchecked"
        ]
        for check in report.missing {
            lines.append(
                "  missing  delivery #\(check.deliveryId)  lead #\(check.leadId)  \(check.email ?? "-")  \(check.phone ?? "-")  "
                    + "crm id \(check.crmId ?? "-")  (looked up by \(check.lookedUpBy))"
            )
        }
        for check in report.unchecked {
            lines.append("  unchecked  delivery #\(check.deliveryId)  lead #\(check.leadId)  \(check.detail ?? "")")
        }
        if retried { lines.append("\(report.requeued.count) missing deliveries queued again") }
        return lines
    }
}
