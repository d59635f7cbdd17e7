import Foundation
import PostgresNIO
import Shared

extension DemoCommand {
    /// The name of the demo source whose new leads enter the seed flow.
    static let sequenceSourceName = "monday-board"

    /// The seed's follow-up flow, in dry run, for the demo tenant: WhatsApp welcome → monday
    /// "נשלחה הודעה" → 24 h later, inside 08:00–21:00 Asia/Jerusalem, unless the lead replied and
    /// only if the item still says "נשלחה הודעה", a WhatsApp follow-up → "אין מענה 1"; a reply
    /// sets "נקבעה שיחת מכירה". Its destinations, the sequence and the `monday-board` API source
    /// feeding it are created once and reused. Returns the summary lines.
    static func seedSequence(tenant: Tenant, environment: CommandEnvironment) async throws -> [String] {
        var destinations = try await environment.destinations.list(tenantId: tenant.id)
        for (demo, secret) in sequenceDestinations(tenantId: tenant.id) where !destinations.contains(where: { $0.name == demo.name }) {
            let sealed = try environment.configuration.secretBox.seal(secret)
            destinations.append(try await environment.destinations.create(demo, sealedSecret: sealed))
        }
        let store = SequenceStore(client: environment.postgres, logger: environment.logger)
        let sequence: FollowUpSequence
        if let existing = try await store.list(tenantId: tenant.id).first(where: { $0.name == seedFlowName }) {
            sequence = existing
        } else {
            let definition = try SequenceDefinition(
                json: try JSONValue.parse(seedFlowJSON),
                tenantTimeZone: .gmt,
                defaultSalesRules: false,
                destinations: destinations
            )
            sequence = try await store.create(tenantId: tenant.id, name: seedFlowName, definition: definition, actor: "leadctl:demo")
        }
        let sources = try await environment.sources.list(tenantId: tenant.id)
        let source: Source
        if let existing = sources.first(where: { $0.name == sequenceSourceName }) {
            source = existing
        } else {
            source = try await environment.sources.create(tenantId: tenant.id, name: sequenceSourceName, kind: .api, destinationIds: [])
        }
        var assigned: UUID?
        for try await id in try await environment.postgres.query(
            "SELECT sequence_id FROM sources WHERE id = \(source.id)",
            logger: environment.logger
        )
        .decode(UUID?.self) {
            assigned = id
        }
        if assigned != sequence.id {
            try await store.assign(sequence, toSource: source.id, tenantId: tenant.id, actor: "leadctl:demo")
        }
        return ["  Demo sequence: \(seedFlowName) (leads sent with \"source\": \"\(sequenceSourceName)\" enter it)"]
    }

    static let seedFlowName = "Monday → WhatsApp follow-up"

    /// The definition, as a user would write it (`leadctl sequence create --config`).
    static let seedFlowJSON = """
        {"time_zone": "Asia/Jerusalem",
         "window": {"start": "08:00", "end": "21:00"},
         "steps": [{"destination": "WhatsApp welcome (dry run)"},
                   {"destination": "Monday: נשלחה הודעה (dry run)"},
                   {"destination": "WhatsApp follow-up (dry run)", "after": "24h", "unless": ["replied"],
                    "only_if": {"crm_status": "נשלחה הודעה", "via": "Monday: נשלחה הודעה (dry run)"}},
                   {"destination": "Monday: אין מענה 1 (dry run)"}],
         "on_reply": ["Monday: נקבעה שיחת מכירה (dry run)"]}
        """

    /// The flow's destinations with their (fake) secrets, all dry-run.
    static func sequenceDestinations(tenantId: UUID) -> [(Destination, String)] {
        func whatsApp(_ name: String, template: String) -> (Destination, String) {
            let config: [String: JSONValue] = [
                "phone_number_id": .string("106540352242922"), "template": .string(template), "language": .string("he"),
                "parameters": .array([.string("{{first_name}}")]),
            ]
            return (Destination.withDefaults(tenantId: tenantId, name: name, kind: .whatsApp, config: config, dryRun: true), "demo-whatsapp-token")
        }
        func monday(_ label: String) -> (Destination, String) {
            let config: [String: JSONValue] = ["board_id": .string("1234567890"), "column_id": .string("status"), "label": .string(label)]
            let destination = Destination.withDefaults(
                tenantId: tenantId,
                name: "Monday: \(label) (dry run)",
                kind: .mondayStatus,
                config: config,
                dryRun: true
            )
            return (destination, "demo-monday-token")
        }
        return [
            whatsApp("WhatsApp welcome (dry run)", template: "lead_welcome"),
            whatsApp("WhatsApp follow-up (dry run)", template: "lead_follow_up"),
            monday("נשלחה הודעה"), monday("אין מענה 1"), monday("נקבעה שיחת מכירה"),
        ]
    }
}
