import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

/// Issue 20: a Google Sheets source polled by the worker against the Sheets and OAuth stand-ins
/// (the token endpoint verifies each assertion with the test key's public half).
@Suite("Sheet polling")
struct SheetPollingTests {
    static let tab = "לידים תל אביב"
    static let header = ["Full Name", "Email", "Phone Number", "Which location?"]

    static func config(_ standIn: GoogleSheetsStandIn, extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var config: [String: JSONValue] = [
            "spreadsheet_id": .string(GoogleSheetsStandIn.defaultSpreadsheetId),
            "ranges": [.string("'\(tab)'!A:Z")],
            "sheets_base_url": .string(standIn.baseURL),
            "token_url": .string(standIn.tokenURL),
            "poll_interval": 10,
        ]
        for (key, value) in extra { config[key] = value }
        return config
    }

    static func row(_ index: Int, location: String? = "Tel Aviv") -> [String] {
        ["Lead \(index)", "lead\(index)@example.com", "+1201555\(String(format: "%04d", index))"] + (location.map { [$0] } ?? [])
    }

    /// Runs `body` with the Sheets stand-in's tab holding `rows` (its access set to `access`), a
    /// sheet source reading it (with `extra` config) and a worker polling.
    static func withPolledSheet(
        _ rows: [[String]],
        extra: [String: JSONValue] = [:],
        access: GoogleSheetsStandIn.Access = .granted,
        _ body: @escaping @Sendable (GoogleSheetsStandIn, WorkerTestHarness, Source) async throws -> Void
    ) async throws {
        try await GoogleSheetsStandIn.withRunning { standIn in
            try await WorkerTestHarness.run { harness in
                standIn.setTab(tab, rows: rows)
                standIn.setAccess(access)
                let source = try await harness.polledSource(
                    .sheet,
                    config: config(standIn, extra: extra),
                    secrets: [("service_account", standIn.serviceAccountJSON)]
                )
                try await harness.withWorkers(tuning: WorkerTestHarness.pollingTuning) { _ in try await body(standIn, harness, source) }
            }
        }
    }

    @Test func aHebrewTabsRowsBecomeLeadsOnceAndEditsInsertsAndDeletesAreToldApart() async throws {
        // Row 3 is ragged (no location), row 4 has neither email nor phone.
        let rows = [Self.header, Self.row(1), Self.row(2, location: nil), ["Nobody", "", "", "Haifa"]]
        try await Self.withPolledSheet(rows) { standIn, harness, source in
            let first = try await harness.waitForPollRuns(source, 1)
            #expect(first?.outcome == "ok" && first?.accepted == 2 && first?.rejected == 1 && first?.rowsRead == 3)
            #expect(first?.rejections.contains("row 4") == true && first?.rejections.contains("Nobody") == true)
            #expect(try await harness.leadEmails(source) == ["lead1@example.com", "lead2@example.com"])
            #expect(try await harness.count("SELECT count(*)::int FROM leads WHERE source_id = \(source.id) AND channel = 'sheet'") == 2)
            #expect(
                try await harness.count(
                    "SELECT count(*)::int FROM leads WHERE source_id = \(source.id) AND extra ->> 'Which location?' = 'Tel Aviv'"
                ) == 1
            )

            // Nothing changed: nothing new.
            try await harness.pollNow(source)
            let second = try await harness.waitForPollRuns(source, 2)
            #expect(second?.outcome == "ok" && second?.accepted == 0 && second?.newRows == 0)

            // A new row inserted above the others, row 2's phone corrected, the
            // rejected row deleted, one appended: two new leads, one change, no re-import.
            standIn.insertRow(Self.row(3), at: 2, in: Self.tab)
            standIn.setCell(row: 3, column: 3, to: "+12015550111", in: Self.tab)
            standIn.deleteRow(5, in: Self.tab)
            standIn.appendRows([Self.row(4)], to: Self.tab)
            try await harness.pollNow(source)
            let third = try await harness.waitForPollRuns(source, 3)
            #expect(third?.accepted == 2 && third?.duplicates == 0 && third?.changed == 1 && third?.rejected == 0)
            #expect(try await harness.leadEmails(source) == (1...4).map { "lead\($0)@example.com" })
            let change = try await harness.stores.postgres.query(
                "SELECT location, before ->> 'Phone Number', after ->> 'Phone Number' FROM lead_source_changes",
                logger: harness.logger
            ).decode((String, String, String).self).rows()
            #expect(change.count == 1 && change.first?.1 == "+12015550001" && change.first?.2 == "+12015550111")
            #expect(change.first?.0.contains("row 3") == true)
            #expect(try await harness.count("SELECT count(*)::int FROM sheet_rows WHERE source_id = \(source.id)") == 4)
        }
    }

    @Test func aRejectedRowFixedInTheSheetBecomesALead() async throws {
        try await Self.withPolledSheet([Self.header, Self.row(1), ["Typo", "not-an-email", "", "Haifa"]]) { standIn, harness, source in
            #expect(try await harness.waitForPollRuns(source, 1)?.rejected == 1)
            standIn.setCell(row: 3, column: 2, to: "fixed@example.com", in: Self.tab)
            try await harness.pollNow(source)
            let run = try await harness.waitForPollRuns(source, 2)
            #expect(run?.accepted == 1 && run?.changed == 0)
            #expect(try await harness.leadEmails(source) == ["fixed@example.com", "lead1@example.com"])
        }
    }

    @Test func aChangedHeaderStopsTheSourceUntilFixedOrAccepted() async throws {
        try await Self.withPolledSheet([Self.header, Self.row(1)]) { standIn, harness, source in
            #expect(try await harness.waitForPollRuns(source, 1)?.accepted == 1)
            standIn.renameHeader("Which location?", to: "Branch", in: Self.tab)
            standIn.appendRows([Self.row(2)], to: Self.tab)
            try await harness.pollNow(source)
            let stopped = try await harness.waitForPollRuns(source, 2)
            #expect(stopped?.outcome == "error" && stopped?.accepted == 0)
            let (state, reason) = try await harness.pollState(source)
            #expect(state == "error" && reason?.contains("header changed") == true && reason?.contains("'Which location?'") == true)

            try await harness.pollNow(source, acceptHeader: true)
            let accepted = try await harness.waitForPollRuns(source, 3)
            // Row 2 re-keyed silently under the new header; the appended row is new.
            #expect(accepted?.outcome == "ok" && accepted?.accepted == 1 && accepted?.changed == 0)
            #expect(try await harness.pollState(source).state == "ok")
            #expect(try await harness.count("SELECT count(*)::int FROM source_polls WHERE accept_header") == 0)
            #expect(try await harness.leadEmails(source).count == 2)
        }
    }

    @Test func anUnsharedSheetIsAnErrorStateUntilSharedAndA429IsABackOff() async throws {
        try await Self.withPolledSheet([Self.header, Self.row(1)], access: .permissionDenied) { standIn, harness, source in
            #expect(try await harness.waitForPollRuns(source, 1)?.outcome == "error")
            let (state, reason) = try await harness.pollState(source)
            #expect(state == "error" && reason?.contains("share it with the service account") == true)

            standIn.setAccess(.granted)
            try await harness.pollNow(source)
            #expect(try await harness.waitForPollRuns(source, 2)?.accepted == 1)
            #expect(try await harness.pollState(source).state == "ok")

            standIn.rateLimitNextReads(1)
            try await harness.pollNow(source)
            let limited = try await harness.waitForPollRuns(source, 3)
            #expect(limited?.outcome == "error" && limited?.error?.contains("RESOURCE_EXHAUSTED") == true)
            // A quota is not a broken source, and the next poll waits at least 30 s.
            #expect(try await harness.pollState(source).state == "ok")
            #expect(
                try await harness.count(
                    "SELECT count(*)::int FROM source_polls WHERE source_id = \(source.id) AND next_poll_at > now() + interval '25 seconds'"
                ) == 1
            )
        }
    }

    @Test func startAtNowImportsOnlyRowsAddedLater() async throws {
        try await Self.withPolledSheet([Self.header] + (1...5).map { Self.row($0) }, extra: ["start_at": "now"]) { standIn, harness, source in
            let first = try await harness.waitForPollRuns(source, 1)
            #expect(first?.accepted == 0 && first?.rowsRead == 5)
            standIn.appendRows([Self.row(6)], to: Self.tab)
            try await harness.pollNow(source)
            #expect(try await harness.waitForPollRuns(source, 2)?.accepted == 1)
            #expect(try await harness.leadEmails(source) == ["lead6@example.com"])
        }
    }

    @Test func aRevokedTokenIsReplacedOnceAndThePollGoesOn() async throws {
        try await Self.withPolledSheet([Self.header, Self.row(1)]) { standIn, harness, source in
            #expect(try await harness.waitForPollRuns(source, 1)?.accepted == 1)
            #expect(standIn.tokenEndpoint.issued == 1)
            // The cached token stops working before its expiry: the 401 brings one new exchange.
            standIn.tokenEndpoint.expireAll()
            standIn.appendRows([Self.row(2)], to: Self.tab)
            try await harness.pollNow(source)
            let run = try await harness.waitForPollRuns(source, 2)
            #expect(run?.outcome == "ok" && run?.accepted == 1)
            #expect(standIn.tokenEndpoint.issued == 2)
        }
    }
}
