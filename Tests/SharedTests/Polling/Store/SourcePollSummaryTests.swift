import Foundation
import Shared
import Testing

/// The words both front ends use for a polled source: the summary line, the next poll, and
/// `leadctl source show`'s report.
@Suite("Source poll summary")
struct SourcePollSummaryTests {
    /// 2026-12-07 10:05:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_796_637_900)
    static let sourceId = UUID()

    static func run(accepted: Int, rejected: Int = 0, outcome: PollRun.Outcome = .ok, rejections: [PollRun.Rejection] = []) -> PollRun {
        PollRun(
            id: 1,
            workerId: "worker-1",
            startedAt: now - 12,
            finishedAt: now - 11,
            durationMilliseconds: 1_234,
            rowsRead: 120,
            newRows: accepted + rejected,
            accepted: accepted,
            rejected: rejected,
            outcome: outcome,
            rejections: rejections
        )
    }

    static func status(
        state: SourcePollState = .ok,
        reason: String? = nil,
        since: Date? = nil,
        polledAgo: TimeInterval? = nil,
        runs: [PollRun] = []
    ) -> SourcePollStatus {
        SourcePollStatus(
            sourceId: sourceId,
            state: state,
            errorReason: reason,
            errorSince: since,
            nextPollAt: now + 45,
            lastPolledAt: polledAgo.map { now - $0 },
            runs: runs
        )
    }

    @Test(arguments: [
        (status(), "never polled yet"),
        (status(polledAgo: 12, runs: [run(accepted: 3)]), "last polled 12 s ago, 3 new leads"),
        (status(polledAgo: 90, runs: [run(accepted: 1)]), "last polled 1 min ago, 1 new lead"),
        (status(polledAgo: 7_300, runs: [run(accepted: 0)]), "last polled 2 h ago, no new leads"),
        (status(polledAgo: 3 * 86_400), "last polled 3 days ago"),
        (
            status(polledAgo: 0.2, runs: [run(accepted: 2, rejected: 2, outcome: .partial)]),
            "last polled just now, 2 new leads, 2 rows rejected (partial: goes on at the next poll)"
        ),
        (
            status(state: .error, reason: "403 PERMISSION_DENIED: The caller does not have permission", since: now - 180, polledAgo: 12),
            "error since 10:02 UTC: 403 PERMISSION_DENIED: The caller does not have permission"
        ),
        (status(state: .error, reason: "401 unauthorized", since: now - 10 * 3_600 - 360), "error since 2026-12-06 23:59 UTC: 401 unauthorized"),
    ])
    func theSummarySaysHowPollingGoes(status: SourcePollStatus, expected: String) {
        #expect(status.summary(now: Self.now) == expected)
    }

    @Test func theNextPollIsACountdownOrTheWorkerPollingNow() {
        var status = Self.status()
        #expect(status.nextPollText(now: Self.now) == "next poll in 45 s")
        #expect(status.nextPollText(now: Self.now + 60) == "next poll due now")
        status.leaseHolder = "worker-2"
        #expect(status.nextPollText(now: Self.now) == "polling now (worker worker-2)")
    }

    @Test(arguments: [(350, "350 ms"), (1_234, "1.2 s"), (125_000, "2 min")])
    func aRunsDurationIsInItsLargestUnit(milliseconds: Int, expected: String) {
        var run = Self.run(accepted: 0)
        run.durationMilliseconds = milliseconds
        #expect(run.durationText == expected)
    }

    @Test(arguments: [
        (PollRun.Rejection(row: "14", reason: "phone: not a phone number", fields: [:]), "row 14: phone: not a phone number"),
        (PollRun.Rejection(row: "14", reason: "Leads!A:Z row 14: no email or phone", fields: [:]), "Leads!A:Z row 14: no email or phone"),
        (PollRun.Rejection(row: "", reason: "cust-1: no email or phone", fields: [:]), "cust-1: no email or phone"),
    ])
    func aRejectedRowIsNamedOnce(rejection: PollRun.Rejection, expected: String) {
        #expect(rejection.text == expected)
    }

    @Test func theReportListsTheStateTheRunsAsATableAndTheLastRunsRejectedRows() {
        let rejections = [PollRun.Rejection(row: "14", reason: "phone: not a phone number", fields: ["Phone": "abc"])]
        var error = Self.run(accepted: 0, outcome: .error)
        error.error = "header changed: \"Phone\" is now \"Mobile\""
        error.startedAt = Self.now - 600
        let status = Self.status(
            state: .error,
            reason: "header changed: \"Phone\" is now \"Mobile\"",
            since: Self.now - 600,
            polledAgo: 12,
            runs: [Self.run(accepted: 3, rejected: 2, rejections: rejections), error]
        )
        let lines = status.reportLines(now: Self.now, pollCommand: "leadctl source poll s-1")
        #expect(
            lines == [
                "polling: error since 09:55 UTC: header changed: \"Phone\" is now \"Mobile\"",
                "state: error: header changed: \"Phone\" is now \"Mobile\"",
                "  to take the sheet's new header as the expected one: leadctl source poll s-1 --accept-header",
                "next poll: 2026-12-07 10:05:45 UTC (next poll in 45 s)",
                "last 2 polls:",
                "  started (UTC)        duration  read  new  accepted  duplicate  rejected  changed  outcome",
                "  2026-12-07 10:04:48  1.2 s     120   5    3         0          2         0        ok",
                "  2026-12-07 09:55:00  1.2 s     120   0    0         0          0         0        error: header changed: \"Phone\" is now \"Mobile\"",
                "rejected rows of the last poll (first 1 of 2):",
                "  row 14: phone: not a phone number",
            ]
        )
    }
}
