import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Shared
import TestSupport
import Testing

/// The sequence form's structured editor: fields for the window, a step list and the endings,
/// checked by the same parser as the JSON, with each problem next to its field.
@Suite("Dashboard: sequence editor")
struct DashboardSequenceEditorTests {
    static let hebrewLabel = "נשלחה הודעה"

    /// The id in a `303` to `/dashboard/sequences/<id>`.
    private func sequenceId(_ response: TestResponse) throws -> UUID {
        try #require(response.status == .seeOther, "expected 303, got \(response.status): \(String(buffer: response.body).prefix(800))")
        let location = try #require(response.headers[.location])
        try #require(location.hasPrefix("/dashboard/sequences/"), "unexpected location \(location)")
        return try #require(UUID(uuidString: String(location.dropFirst("/dashboard/sequences/".count))))
    }

    private func stored(_ id: UUID, _ stores: DataStores) async throws -> FollowUpSequence {
        try await SequenceStore(client: stores.postgres, logger: TestEnvironment.logger).find(id.uuidString, tenantId: nil)
    }

    private func lower(_ id: UUID) -> String { id.uuidString.lowercased() }

    /// A Monday status destination of tenant `tenantId`, for `only_if … via`.
    private func mondayStatus(_ stores: DataStores, tenantId: UUID) async throws -> Destination {
        try await DestinationStore(client: stores.postgres, logger: TestEnvironment.logger).create(
            .withDefaults(tenantId: tenantId, name: "Monday: sent", kind: .mondayStatus, config: [:], dryRun: true),
            sealedSecret: nil
        )
    }

    /// A form as the page posts it: a window Sun–Thu, step rows `steps` (each `(row, [(field, value)])`,
    /// with the delay kind and every day of its window unless given), the endings, `extra` last.
    private func fieldsForm(
        name: String = "Welcome",
        steps: [(Int, [(String, String)])],
        extra: [(String, String)] = [],
        intent: String = "save"
    ) -> [(String, String)] {
        var pairs: [(String, String)] = [
            ("name", name), ("mode", "fields"), ("time_zone", "Asia/Jerusalem"), ("window_start", "08:00"), ("window_end", "21:00"),
        ]
        pairs += ["sun", "mon", "tue", "wed", "thu"].map { ("window_days", $0) }
        pairs.append(("window_blackout_dates", "2026-04-13"))
        for (row, fields) in steps {
            var rowPairs = fields.map { ("step-\(row)-\($0.0)", $0.1) }
            if !fields.contains(where: { $0.0 == "delay_kind" }) { rowPairs.append(("step-\(row)-delay_kind", "after")) }
            if !fields.contains(where: { $0.0 == "window_days" }) {
                rowPairs += Weekday.allCases.map { ("step-\(row)-window_days", $0.shortName) }
            }
            pairs += rowPairs
        }
        pairs += [("exit_on", "reply"), ("exit_on", "opt_out"), ("goal_stage", "appointment_set"), ("reentry", "after_exit")]
        pairs += [("expire_after", "48h"), ("sales_rules", "false"), ("definition", "{\"ignored\": true}")]
        return pairs + extra + [("intent", intent)]
    }

    @Test func aSequenceCreatedFromTheFieldsIsStoredAsTheDefinitionTheyDescribe() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let (ghl, npa) = (tenantA.destinations[0], tenantA.destinations[1])
            let blank = String(buffer: try await browser.get("/dashboard/sequences/new").body)
            #expect(blank.contains("name=\"time_zone\" value=\"UTC\""), "the tenant's zone by default")
            #expect(blank.contains("<option value=\"\(lower(ghl.id))\" selected>ghl (ghl)</option>"), "the example's first step")
            #expect(blank.contains("name=\"step-2-destination\""), "the example's two steps and a blank row")
            #expect(blank.contains("<script src=\"/assets/dashboard.sequence-form.js\"></script>"))
            let script = try await client.execute(uri: "/assets/dashboard.sequence-form.js", method: .get)
            #expect(script.status == .ok && String(buffer: script.body).contains("data-add-step"))

            let form = fieldsForm(steps: [
                (0, [("destination", lower(ghl.id)), ("delay", "")]),
                (4, [("destination", ""), ("delay", ""), ("crm_status", "")]),
                (6, [("destination", lower(npa.id)), ("delay", "24h"), ("unless", "replied")]),
                (
                    9,
                    [
                        ("destination", lower(ghl.id)), ("delay_kind", "at"), ("delay", "next 10:00"), ("window_start", "10:00"),
                        ("window_end", "12:00"), ("window_days", "fri"),
                    ]
                ),
            ])
            let id = try sequenceId(try await browser.post("/dashboard/sequences", form + [("on_reply", lower(npa.id))]))
            func reference(_ destination: Destination) -> JSONValue {
                .object(["destination": .string(destination.name), "destination_id": .string(lower(destination.id))])
            }
            let expected = JSONValue.object([
                "time_zone": "Asia/Jerusalem",
                "window": .object([
                    "start": "08:00", "end": "21:00", "days": .array(["sun", "mon", "tue", "wed", "thu"]), "blackout_dates": .array(["2026-04-13"]),
                ]),
                "steps": .array([
                    reference(ghl),
                    .object([
                        "destination": .string(npa.name), "destination_id": .string(lower(npa.id)), "after": "24h", "unless": .array(["replied"]),
                    ]),
                    .object([
                        "destination": .string(ghl.name), "destination_id": .string(lower(ghl.id)), "at": "next 10:00",
                        "window": .object(["start": "10:00", "end": "12:00", "days": .array(["fri"])]),
                    ]),
                ]),
                "exit_on": .array(["opt_out", "reply"]), "goal_stage": "appointment_set", "on_reply": .array([reference(npa)]),
                "reentry": "after_exit", "expire_after": "48h", "sales_rules": false,
            ])
            #expect(try await stored(id, stores).definitionJSON == expected, "the blank row 4 is ignored; rows in their order")
        }
    }

    @Test func loadingASequenceIntoTheFieldsAndSavingItUnchangedKeepsItsDefinitionAndItsHebrewBytes() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let monday = try await mondayStatus(stores, tenantId: tenantA.tenant.id)
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let definition = """
                {"time_zone": "Asia/Jerusalem",
                 "window": {"start": "08:00", "end": "21:00", "days": ["sun", "mon", "tue", "wed", "thu"], "blackout_dates": ["2026-04-13"]},
                 "steps": [{"destination": "ghl"}, {"destination": "Monday: sent"},
                           {"destination": "npa", "after": "24h", "unless": ["stage_changed", "replied"],
                            "only_if": {"crm_status": "\(Self.hebrewLabel)", "via": "Monday: sent"},
                            "window": {"start": "10:00", "end": "18:00", "days": ["sun", "fri"]}},
                           {"destination": "ghl", "at": "next 09:30"}],
                 "on_reply": ["npa", "ghl"], "goal_stage": "appointment_set", "exit_on": ["reply"], "expire_after": "3d"}
                """
            let id = try sequenceId(
                try await browser.post("/dashboard/sequences", [("name", "Welcome"), ("definition", definition), ("intent", "save")])
            )
            let before = try await stored(id, stores)

            let edit = String(buffer: try await browser.get("/dashboard/sequences/\(id)/edit").body)
            #expect(edit.contains("name=\"step-2-crm_status\" value=\"\(Self.hebrewLabel)\""))
            #expect(edit.contains("<option value=\"\(lower(monday.id))\" selected>Monday: sent</option>"))
            #expect(edit.contains("name=\"step-4-destination\""), "the four steps and a blank row")
            let saved = try await browser.post("/dashboard/sequences/\(id)", try HTMLForm.pairs(of: edit) + [("intent", "save")])
            #expect(try sequenceId(saved) == id)
            let after = try await stored(id, stores)
            #expect(after.definitionJSON == before.definitionJSON)
            let label = try #require(try after.definition().steps[2].onlyIfCRMStatus).label
            #expect(Array(label.utf8) == Array(Self.hebrewLabel.utf8))
            #expect(try await stores.count("SELECT count(*)::int FROM sequences") == 1)
        }
    }

    @Test func aHebrewStatusTypedInTheFieldsIsStoredByteForByte() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let monday = try await mondayStatus(stores, tenantId: tenantA.tenant.id)
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let form = fieldsForm(steps: [
                (0, [("destination", lower(tenantA.destinations[0].id))]),
                (1, [("destination", lower(tenantA.destinations[1].id)), ("crm_status", Self.hebrewLabel), ("via", lower(monday.id))]),
            ])
            let id = try sequenceId(try await browser.post("/dashboard/sequences", form))
            let check = try #require(try await stored(id, stores).definition().steps[1].onlyIfCRMStatus)
            #expect(Array(check.label.utf8) == Array(Self.hebrewLabel.utf8) && check.destinationId == monday.id)
            let edit = String(buffer: try await browser.get("/dashboard/sequences/\(id)/edit").body)
            #expect(edit.contains("value=\"\(Self.hebrewLabel)\""))
        }
    }

    /// A wrong value in step 2 (`(input, value, message)`): shown next to that input of step 2 only.
    @Test(arguments: [
        ("window_start", "25:00", "25:00 is not a time like 08:00"),
        ("delay", "next 25:00", "&quot;next 25:00&quot; is not a time like &quot;next 10:00&quot;"),
        ("window_blackout_dates", "2026-02-30", "2026-02-30 is not a date like 2025-04-13"),
    ])
    func aWrongValueInStepTwoIsShownNextToItsFieldAndNothingIsSaved(input: String, value: String, message: String) async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            var second = [("destination", lower(tenantA.destinations[1].id)), (input, value)]
            if input == "delay" { second.append(("delay_kind", "at")) }
            let form = fieldsForm(steps: [(0, [("destination", lower(tenantA.destinations[0].id))]), (1, second)])
            let response = try await browser.post("/dashboard/sequences", form)
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            let field = try #require(html.range(of: "name=\"step-1-\(input)\""), "step 2's \(input) input")
            let next = html[field.upperBound...].prefix(240)
            #expect(next.contains("<span class=\"alert\">\(message)</span>"), "the message right after the input: \(next)")
            let rowOne = try #require(html.range(of: "data-step=\"0\""))
            let rowTwo = try #require(html.range(of: "data-step=\"1\""))
            #expect(!html[rowOne.upperBound..<rowTwo.lowerBound].contains("class=\"alert\""), "nothing at step 1")
            #expect(html.contains("Please correct the highlighted fields: step 2 "))
            #expect(html.contains("value=\"\(value)\""), "what was typed is kept")
            #expect(try await stores.count("SELECT count(*)::int FROM sequences") == 0)
        }
    }

    @Test func onlyBlankStepRowsAreRefusedAtTheStepList() async throws {
        try await DashboardTestHarness.run { client, _, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let response = try await browser.post("/dashboard/sequences", fieldsForm(steps: [(0, [("destination", "")]), (1, [])]))
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("<legend>Steps</legend>\n<p><span class=\"alert\">a sequence has 1 to 20 steps (got 0)</span></p>"))
            #expect(html.contains("name=\"step-0-destination\"") && !html.contains("name=\"step-1-destination\""), "one blank row")
            #expect(try await stores.count("SELECT count(*)::int FROM sequences") == 0)
        }
    }

    @Test func aPreviewFromTheFieldsSavesNothingAndShowsTheirJSON() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let form = fieldsForm(
                steps: [
                    (0, [("destination", lower(tenantA.destinations[0].id))]),
                    (1, [("destination", lower(tenantA.destinations[1].id)), ("delay", "24h")]),
                ],
                intent: "preview"
            )
            let response = try await browser.post("/dashboard/sequences", form)
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("Preview (not saved)") && html.contains("step 2 (npa) would send at"))
            #expect(html.contains("Asia/Jerusalem), window 08:00–21:00 Sun–Thu Asia/Jerusalem except 2026-04-13"))
            #expect(html.contains("&quot;after&quot; : &quot;24h&quot;"), "the JSON block shows the fields' document")
            #expect(html.contains("name=\"step-2-destination\"") && !html.contains("name=\"step-3-destination\""), "two steps and a blank row")
            #expect(try await stores.count("SELECT count(*)::int FROM sequences") == 0)
        }
    }

    @Test func aFormPostedAsJSONIgnoresTheFields() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let json = #"{"steps": [{"destination": "npa", "after": "30m"}], "sales_rules": true}"#
            var form = fieldsForm(steps: [(0, [("destination", lower(tenantA.destinations[0].id)), ("delay", "25:00")])])
            form = form.filter { $0.0 != "definition" && $0.0 != "mode" } + [("mode", "json"), ("definition", json)]
            let id = try sequenceId(try await browser.post("/dashboard/sequences", form))
            let definition = try await stored(id, stores).definition()
            #expect(definition.steps.map(\.destinationName) == ["npa"] && definition.steps[0].delay == .elapsed(seconds: 1_800))
            #expect(definition.salesRules && definition.window == .always(in: definition.timeZone))

            let wrong = try await browser.post("/dashboard/sequences", form.filter { $0.0 != "definition" } + [("definition", "{steps")])
            #expect(wrong.status == .unprocessableContent)
            let html = String(buffer: wrong.body)
            #expect(html.contains("is not JSON") && html.contains("<details class=\"sequence-json\" open>"))
            #expect(html.contains("name=\"mode\" value=\"json\" checked"))
        }
    }
}

/// The inputs a browser would post from a page's sequence form: text inputs, ticked boxes,
/// selected options (else the first), text areas; the CSRF token and buttons left out.
enum HTMLForm {
    static func pairs(of html: String) throws -> [(String, String)] {
        let start = try #require(html.range(of: "class=\"panel sequence-form\""))
        let end = try #require(html.range(of: "</form>", range: start.upperBound..<html.endIndex))
        let form = String(html[start.upperBound..<end.lowerBound])
        var pairs: [(String, String)] = []
        let element = try Regex(#"<(input|select|textarea)\b([^>]*)>"#)
        for match in form.matches(of: element) {
            guard let tag = match.output[1].substring, let attributesText = match.output[2].substring else { continue }
            let attributes = try attributes(String(attributesText))
            guard let name = attributes["name"], name != "_csrf" else { continue }
            switch tag {
            case "input":
                let type = attributes["type"] ?? "text"
                if type == "checkbox" || type == "radio" {
                    if attributes["checked"] != nil { pairs.append((name, attributes["value"] ?? "on")) }
                } else if type != "button" && type != "submit" {
                    pairs.append((name, attributes["value"] ?? ""))
                }
            case "select":
                let body = form[match.range.upperBound...]
                let close = try #require(body.range(of: "</select>"))
                let options = body[..<close.lowerBound].matches(of: try Regex(#"<option\b([^>]*)>"#)).compactMap { option in
                    option.output[1].substring.flatMap { try? Self.attributes(String($0)) }
                }
                let chosen = options.first { $0["selected"] != nil } ?? options.first
                pairs.append((name, chosen?["value"] ?? ""))
            default:
                let body = form[match.range.upperBound...]
                let close = try #require(body.range(of: "</textarea>"))
                pairs.append((name, unescaped(String(body[..<close.lowerBound]))))
            }
        }
        return pairs
    }

    /// `name="value"` and bare attributes of a tag.
    private static func attributes(_ text: String) throws -> [String: String] {
        var attributes: [String: String] = [:]
        for match in text.matches(of: try Regex(#"([a-zA-Z_:-]+)(?:="([^"]*)")?"#)) {
            guard let name = match.output[1].substring else { continue }
            attributes[String(name)] = match.output[2].substring.map { unescaped(String($0)) } ?? ""
        }
        return attributes
    }

    /// Mustache's escapes undone.
    private static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
