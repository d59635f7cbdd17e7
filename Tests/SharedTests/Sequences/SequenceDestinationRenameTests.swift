import Foundation
import Shared
import Testing

@Suite("Sequence destinations after a rename")
struct SequenceDestinationRenameTests {
    @Test func aDefinitionReadBackForEditingFindsItsDestinationByIdAfterARename() throws {
        let destination = Destination.withDefaults(tenantId: UUID(), name: "WhatsApp follow-up v2", kind: .http, config: [:], dryRun: true)
        // As the edit form and `sequence show --json` give it back: the old name beside the id.
        let json: JSONValue = .object([
            "steps": .array([
                .object(["destination": "WhatsApp follow-up", "destination_id": .string(destination.id.uuidString.lowercased())])
            ])
        ])
        let definition = try SequenceDefinition(json: json, tenantTimeZone: .gmt, defaultSalesRules: false, destinations: [destination])
        #expect(definition.steps.first?.destinationId == destination.id)
        #expect(definition.steps.first?.destinationName == "WhatsApp follow-up v2", "saved again under its current name")
    }
}
