import Foundation
import HTTPTypes
import Hummingbird
import Shared

extension DashboardController {
    /// A polled source's state on its page: the summary line, an error in red, the next poll,
    /// the newest polls and the last poll's rejected rows.
    struct SourcePollView {
        struct Run {
            var started: String
            var duration: String
            var read: Int
            var new: Int
            var accepted: Int
            var duplicates: Int
            var rejected: Int
            var changed: Int
            var outcome: String
            /// The badge class of the outcome (`succeeded`, `retrying`, `dead`).
            var badge: String
            var error: String?
        }
        /// Where the Poll now and Accept the new header buttons post.
        var action: String
        var summary: String
        /// The workers do not poll a disabled source.
        var disabled: Bool
        var inError: Bool
        var errorReason: String?
        var errorSince: String?
        /// `3 failed polls in a row`; nil for one.
        var failures: String?
        /// The error is a changed sheet header: the page offers to accept it.
        var headerChanged: Bool
        /// The next poll takes the current header as the expected one.
        var acceptPending: Bool
        var nextPollAt: String
        var nextPoll: String
        var runs: [Run]
        var hasRuns: Bool
        /// The last poll's rejected rows (`row 14: phone: …`).
        var rejections: [String]
        var hasRejections: Bool
        /// `first 100 of 250` when the last poll rejected more rows than it kept.
        var rejectionsShown: String?
    }

    func addSourcePollRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("sources/{id}/poll") { request, context in try await pollSourceNow(request, context) }
    }

    /// The polling state of `source`; nil when it does not poll.
    func sourcePollView(_ source: Source, now: Date = Date()) async throws -> SourcePollView? {
        guard
            let status = try await withDatabaseTimeLimit({ [stores, logger] in
                try await SourcePollStore(client: stores.postgres, logger: logger).status(sourceId: source.id, tenantId: source.tenantId)
            })
        else { return nil }
        let newest = status.runs.first
        let kept = newest?.rejections.count ?? 0
        return SourcePollView(
            action: "/dashboard/sources/\(Self.slug(source.id))/poll",
            summary: status.summary(now: now),
            disabled: !source.enabled,
            inError: status.state == .error,
            errorReason: status.errorReason,
            errorSince: status.errorSince.map { DashboardFormat.time($0) },
            failures: status.failures > 1 ? "\(status.failures) failed polls in a row" : nil,
            headerChanged: status.isHeaderChange && !status.acceptHeaderPending,
            acceptPending: status.acceptHeaderPending,
            nextPollAt: DashboardFormat.time(status.nextPollAt),
            nextPoll: status.nextPollText(now: now),
            runs: status.runs.map { run in
                SourcePollView.Run(
                    started: DashboardFormat.time(run.startedAt),
                    duration: run.durationText,
                    read: run.rowsRead,
                    new: run.newRows,
                    accepted: run.accepted,
                    duplicates: run.duplicates,
                    rejected: run.rejected,
                    changed: run.changed,
                    outcome: run.outcome.rawValue,
                    badge: ["ok": "succeeded", "partial": "retrying"][run.outcome.rawValue] ?? "dead",
                    error: run.error?.nonEmpty
                )
            },
            hasRuns: !status.runs.isEmpty,
            rejections: newest?.rejections.map(\.text) ?? [],
            hasRejections: kept > 0,
            rejectionsShown: newest.flatMap { $0.rejected > kept && kept > 0 ? "first \(kept) of \($0.rejected)" : nil }
        )
    }

    /// Makes the route's source due now (with `accept_header`, taking the sheet's current header
    /// as the expected one), audited as `source.poll`; 409 when the source does not poll.
    private func pollSourceNow(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        guard let source = try await find(.sources, Self.routeId(context), user: user) else {
            return try notFound(request, context, .sources)
        }
        let acceptHeader = form.isChecked("accept_header")
        let back = "/dashboard/sources/\(Self.slug(source.id))"
        do {
            _ = try await withDatabaseTimeLimit { [stores, logger] in
                try await SourcePollStore(client: stores.postgres, logger: logger)
                    .pollNow(sourceId: source.id, tenantId: source.tenantId, acceptHeader: acceptHeader)
            }
        } catch StoreError.invalid(_, let message) {
            return try refused(request, context, heading: "Source not polled", message: message, back: back)
        }
        var details = ["name": source.name]
        if acceptHeader { details["accept_header"] = "true" }
        try await record(
            context,
            request,
            action: "source.poll",
            tenantId: source.tenantId,
            targetType: "source",
            targetId: Self.slug(source.id),
            details: details
        )
        let header = acceptHeader ? ", taking the sheet's current header as the expected one" : ""
        return DashboardResponder.redirect(back, notice: "Source “\(source.name)” is polled within moments\(header).", context: context)
    }
}
