import Foundation
import Shared
import Testing

@Suite("Sequence definitions")
struct SequenceDefinitionTests {
    typealias F = SequenceTimeFixtures
    static let tenantId = UUID()
    static let destinations = ["WhatsApp welcome", "Monday: sent", "WhatsApp follow-up", "Monday: no answer 1", "Monday: meeting set"].map {
        Destination.withDefaults(tenantId: tenantId, name: $0, kind: $0.hasPrefix("Monday") ? .mondayStatus : .http, config: [:])
    }

    /// The seed's flow (issue 19): welcome, status, 24 h later inside 08:00–21:00 Sun–Thu a follow-up
    /// unless replied and only if the status is still "נשלחה הודעה", then "אין מענה 1".
    static let seedFlow = """
        {"time_zone": "Asia/Jerusalem",
         "window": {"start": "08:00", "end": "21:00", "days": ["sun", "mon", "tue", "wed", "thu"]},
         "steps": [{"destination": "WhatsApp welcome"},
                   {"destination": "Monday: sent"},
                   {"destination": "WhatsApp follow-up", "after": "24h", "unless": ["replied"],
                    "only_if": {"crm_status": "נשלחה הודעה", "via": "Monday: sent"}},
                   {"destination": "Monday: no answer 1"}],
         "on_reply": ["Monday: meeting set"], "goal_stage": "appointment_set"}
        """

    static func parse(_ text: String, destinations: [Destination]? = destinations) throws(SequenceDefinitionError) -> SequenceDefinition {
        guard let json = try? JSONValue.parse(text) else { throw SequenceDefinitionError(field: "test", "not JSON") }
        return try SequenceDefinition(json: json, tenantTimeZone: F.newYork, defaultSalesRules: true, destinations: destinations)
    }

    @Test func theSeedFlowIsReadWithItsDestinationsResolved() throws {
        let definition = try Self.parse(Self.seedFlow)
        #expect(definition.timeZone.identifier == "Asia/Jerusalem")
        #expect(definition.window.description == "08:00–21:00 Sun–Thu Asia/Jerusalem")
        #expect(definition.steps.map(\.destinationName) == ["WhatsApp welcome", "Monday: sent", "WhatsApp follow-up", "Monday: no answer 1"])
        #expect(definition.steps.map(\.destinationId) == [0, 1, 2, 3].map { Self.destinations[$0].id })
        #expect(definition.steps.map(\.delay) == [.immediately, .immediately, .elapsed(seconds: 86_400), .immediately])
        #expect(definition.steps[2].unless == [.replied])
        let check = try #require(definition.steps[2].onlyIfCRMStatus)
        #expect(Array(check.label.utf8) == Array("נשלחה הודעה".utf8) && check.destinationId == Self.destinations[1].id)
        #expect(definition.onReply.map(\.name) == ["Monday: meeting set"])
        #expect(definition.goalStage == .appointmentSet)
        #expect(definition.exitOn == [.reply, .optOut, .stageChanged], "the default exits")
        #expect(definition.reentry == .never && definition.expireAfterSeconds == 72 * 3_600 && definition.salesRules)
    }

    @Test func theStoredFormReadsBackToTheSameDefinition() throws {
        let definition = try Self.parse(Self.seedFlow)
        let stored = try SequenceDefinition(json: definition.json, tenantTimeZone: .gmt, defaultSalesRules: false, destinations: nil)
        #expect(stored == definition)
        #expect(stored.json == definition.json)
        #expect(stored.steps.map(\.destinationId) == definition.steps.map(\.destinationId))
    }

    @Test func withoutATimeZoneOrWindowTheTenantsZoneAndAnOpenWindowApply() throws {
        let definition = try Self.parse(#"{"steps": [{"destination": "WhatsApp welcome", "at": "next 10:00"}], "sales_rules": false}"#)
        #expect(definition.timeZone == F.newYork)
        #expect(definition.window.contains(F.utc("2025-06-15T03:00:00Z")), "always open")
        #expect(definition.steps.first?.delay == .nextLocalTime(LocalTime("10:00")!))
        #expect(!definition.salesRules)
    }

    @Test func thePreviewChainsStepsThroughTheWindow() throws {
        let definition = try Self.parse(Self.seedFlow)
        // Thursday 2025-03-27 20:30 IST: steps 1-2 at once; step 3 is 24 h later = Friday 21:30 IDT, outside Sun–Thu,
        // so Sunday 08:00; step 4 follows it.
        let preview = definition.preview(enrolledAt: F.utc("2025-03-27T18:30:00Z"))
        #expect(preview.map(\.dueUTC) == ["2025-03-27T18:30:00Z", "2025-03-27T18:30:00Z", "2025-03-30T05:00:00Z", "2025-03-30T05:00:00Z"])
        #expect(preview[2].dueLocal == "2025-03-30 08:00 +03:00 Asia/Jerusalem")
        #expect(preview[2].wasMoved)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var json: String
        var field: String
        var message: String
        var testDescription: String { "\(field): \(message)" }
    }

    @Test(arguments: [
        Refusal(json: #"{"steps": []}"#, field: "steps", message: "1 to 20 steps"),
        Refusal(json: #"{"steps": [{"destination": "Nope"}]}"#, field: "steps[0].destination", message: "no destination \"Nope\""),
        Refusal(json: #"{"steps": [{"destination": "WhatsApp welcome", "after": "1 day"}]}"#, field: "steps[0].after", message: "duration"),
        Refusal(json: #"{"steps": [{"destination": "WhatsApp welcome", "after": "1h", "at": "10:00"}]}"#, field: "steps[0]", message: "not both"),
        Refusal(json: #"{"steps": [{"destination": "WhatsApp welcome", "unles": ["replied"]}]}"#, field: "steps[0].unles", message: "not a setting"),
        Refusal(json: #"{"steps": [{"destination": "WhatsApp welcome", "unless": ["bored"]}]}"#, field: "steps[0].unless[0]", message: "bored"),
        Refusal(json: #"{"time_zone": "Mars/Olympus", "steps": [{"destination": "WhatsApp welcome"}]}"#, field: "time_zone", message: "IANA"),
        Refusal(json: #"{"time_zone": "EST", "steps": [{"destination": "WhatsApp welcome"}]}"#, field: "time_zone", message: "IANA"),
        Refusal(
            json: #"{"window": {"start": "21:00", "end": "08:00"}, "steps": [{"destination": "WhatsApp welcome"}]}"#,
            field: "window.start",
            message: "before the end"
        ),
        Refusal(
            json: #"{"window": {"start": "08:00", "end": "21:00", "days": ["funday"]}, "steps": [{"destination": "WhatsApp welcome"}]}"#,
            field: "window.days[0]",
            message: "funday"
        ),
        Refusal(
            json: #"{"steps": [{"destination": "WhatsApp welcome", "window": {"start": "09:00", "end": "09:00"}}]}"#,
            field: "steps[0].window.start",
            message: "before the end"
        ),
        Refusal(
            json: #"{"steps": [{"destination": "WhatsApp welcome", "window": {"start": "25:00", "end": "09:00"}}]}"#,
            field: "steps[0].window.start",
            message: "25:00 is not a time"
        ),
        Refusal(
            json: #"{"steps": [{"destination": "WhatsApp welcome", "window": {"start": "08:00"}}]}"#,
            field: "steps[0].window.end",
            message: "is required"
        ),
        Refusal(
            json: #"{"steps": [{"destination": "WhatsApp welcome", "only_if": {"via": "Monday: sent"}}]}"#,
            field: "steps[0].only_if.crm_status",
            message: "required"
        ),
        Refusal(
            json: #"{"steps": [{"destination": "WhatsApp welcome", "only_if": {"crm_status": "x", "via": "WhatsApp follow-up"}}]}"#,
            field: "steps[0].only_if.via",
            message: "is a http destination; the status is read through a monday_status destination"
        ),
        Refusal(json: #"{"goal_stage": "won", "steps": [{"destination": "WhatsApp welcome"}]}"#, field: "goal_stage", message: "not a stage"),
        Refusal(json: #"{"reentry": "always", "steps": [{"destination": "WhatsApp welcome"}]}"#, field: "reentry", message: "never or after_exit"),
        Refusal(json: #"{"expire_after": "10m", "steps": [{"destination": "WhatsApp welcome"}]}"#, field: "expire_after", message: "at least 1h"),
        Refusal(json: #"{"on_reply": ["Nope"], "steps": [{"destination": "WhatsApp welcome"}]}"#, field: "on_reply[0].destination", message: "Nope"),
    ])
    func aBadDefinitionIsRefusedWithTheField(_ example: Refusal) {
        do {
            _ = try Self.parse(example.json)
            Issue.record("accepted \(example.json)")
        } catch {
            #expect(error.field == example.field, "\(error)")
            #expect(error.message.contains(example.message), "\(error)")
        }
    }
}
