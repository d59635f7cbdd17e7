import Foundation
import NIOCore
import Shared
import Testing

@testable import IngestAPIApp

/// The sequence editor's fields without a server: what they make of a definition and back, and
/// which input a parser error belongs to.
@Suite("Sequence form fields")
struct SequenceFormFieldsTests {
    static let tenantId = UUID()
    static let destinations: [Destination] = [
        .withDefaults(tenantId: tenantId, name: "WhatsApp welcome", kind: .npa, config: [:]),
        .withDefaults(tenantId: tenantId, name: "WhatsApp follow-up", kind: .npa, config: [:]),
        .withDefaults(tenantId: tenantId, name: "Monday: sent", kind: .mondayStatus, config: [:]),
        .withDefaults(tenantId: tenantId, name: "Monday: meeting set", kind: .npa, config: [:]),
    ]

    /// Definitions as an operator writes them; each is saved, loaded into the fields and saved again.
    static let definitions = [
        #"{"steps": [{"destination": "WhatsApp welcome"}]}"#,
        """
        {"time_zone": "Asia/Jerusalem",
         "window": {"start": "08:00", "end": "21:00", "days": ["sun", "mon", "tue", "wed", "thu"], "blackout_dates": ["2026-04-13", "2026-10-02"]},
         "steps": [{"destination": "WhatsApp welcome"},
                   {"destination": "Monday: sent"},
                   {"destination": "WhatsApp follow-up", "after": "24h", "unless": ["stage_changed", "replied"],
                    "only_if": {"crm_status": "נשלחה הודעה", "via": "Monday: sent"}},
                   {"destination": "WhatsApp follow-up", "at": "next 10:00", "window": {"start": "10:00", "end": "12:00", "days": ["fri"]}}],
         "on_reply": ["Monday: meeting set", "WhatsApp welcome"], "goal_stage": "appointment_set",
         "exit_on": ["opt_out"], "reentry": "after_exit", "expire_after": "2d", "sales_rules": true}
        """,
        #"{"time_zone": "UTC", "window": {"start": "00:00", "end": "24:00", "days": ["sat"]}, "steps": [{"destination": "Monday: sent", "after": "90s"}], "exit_on": []}"#,
    ]

    private func parse(_ json: JSONValue) throws -> SequenceDefinition {
        try SequenceDefinition(json: json, tenantTimeZone: .gmt, defaultSalesRules: false, destinations: Self.destinations)
    }

    @Test(arguments: definitions)
    func loadingAStoredDefinitionAndSavingItUnchangedGivesAnEqualDefinition(_ text: String) throws {
        let stored = try parse(try JSONValue.parse(text))
        let fields = SequenceFormFields(definition: stored.json, destinations: Self.destinations)
        let saved = try parse(fields.definitionJSON(destinations: Self.destinations))
        #expect(saved.json == stored.json)
        #expect(saved == stored)
    }

    @Test func theHebrewStatusLabelKeepsItsBytes() throws {
        let stored = try parse(try JSONValue.parse(Self.definitions[1]))
        let fields = SequenceFormFields(definition: stored.json, destinations: Self.destinations)
        #expect(Array(fields.steps[2].crmStatus.utf8) == Array("נשלחה הודעה".utf8))
        let saved = try parse(fields.definitionJSON(destinations: Self.destinations))
        #expect(Array(try #require(saved.steps[2].onlyIfCRMStatus).label.utf8) == Array("נשלחה הודעה".utf8))
    }

    @Test func postedRowsAreReadInTheirOrderAndBlankRowsAreIgnored() throws {
        let welcome = Self.destinations[0].id.uuidString.lowercased()
        let followUp = Self.destinations[1].id.uuidString.lowercased()
        // A browser posts every day of each row's own window, ticked by default.
        let everyDay = [0, 3, 7].flatMap { row in Weekday.allCases.map { ("step-\(row)-window_days", $0.shortName) } }
        let pairs =
            [
                ("step-7-destination", followUp), ("step-7-delay_kind", "at"), ("step-7-delay", " next 10:00 "),
                ("step-3-destination", ""), ("step-3-delay_kind", "after"), ("step-3-delay", ""),
                ("step-0-destination", welcome), ("step-0-delay_kind", "after"), ("step-0-delay", ""),
                ("exit_on", "reply"),
            ] + everyDay + Weekday.allCases.map { ("window_days", $0.shortName) }
        let body = pairs.map { "\(urlEncoded($0.0))=\(urlEncoded($0.1))" }.joined(separator: "&")
        let form = try FormBody(body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
        let fields = SequenceFormFields(form: form)
        #expect(fields.steps.map(\.destination) == [welcome, followUp])
        #expect(fields.steps[1].delayKind == "at" && fields.steps[1].delay == "next 10:00")
        let definition = try parse(fields.definitionJSON(destinations: Self.destinations))
        #expect(definition.steps.map(\.destinationName) == ["WhatsApp welcome", "WhatsApp follow-up"])
        #expect(definition.steps[1].delay == .nextLocalTime(try #require(LocalTime("10:00"))))
        #expect(definition.window == .always(in: .gmt) && definition.exitOn == [.reply])
    }

    @Test(arguments: [
        ("steps[2].after", "step-2-delay"), ("steps[0].at", "step-0-delay"), ("steps[1]", "step-1-delay"),
        ("steps[1].destination", "step-1-destination"), ("steps[1].destination_id", "step-1-destination"),
        ("steps[3].unless[0]", "step-3-unless"), ("steps[0].only_if.crm_status", "step-0-crm_status"),
        ("steps[0].only_if.via", "step-0-via"), ("steps[4].window.start", "step-4-window_start"),
        ("steps[4].window.end", "step-4-window_end"), ("steps[4].window.days", "step-4-window_days"),
        ("steps[4].window.blackout_dates[1]", "step-4-window_blackout_dates"), ("steps", "steps"), ("time_zone", "time_zone"),
        ("window.start", "window_start"), ("window.end", "window_end"), ("window.days[2]", "window_days"),
        ("window.blackout_dates[0]", "window_blackout_dates"), ("exit_on[1]", "exit_on"), ("goal_stage", "goal_stage"),
        ("on_reply[0].destination", "on_reply"), ("reentry", "reentry"), ("expire_after", "expire_after"),
        ("sales_rules", "sales_rules"),
    ])
    func aParserErrorIsShownAtItsInput(path: String, input: String) {
        #expect(SequenceFormFields.input(forErrorField: path) == input)
    }

    @Test(arguments: ["definition", "", "unles"])
    func anErrorNoInputMatchesIsShownAtTheTop(path: String) {
        #expect(SequenceFormFields.input(forErrorField: path) == nil)
    }

    @Test func anErrorOfStepTwoIsNamedForTheOperator() {
        #expect(SequenceFormFields.label(ofInput: "step-1-window_start") == "step 2 window start")
        #expect(SequenceFormFields.label(ofInput: "expire_after") == "expire after")
    }
}
