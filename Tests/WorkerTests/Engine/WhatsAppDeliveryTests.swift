import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("WhatsApp deliveries")
struct WhatsAppDeliveryTests {
    static let config: [String: JSONValue] = [
        "phone_number_id": .string("106540352242922"), "template": .string("lead_welcome"), "language": .string("he"),
        "parameters": .array([.string("{{first_name}}")]),
    ]

    @Test func twoLeadsWithOnePhoneAreSentSixSecondsApartAndEachMessageIsRecorded() async throws {
        try await CRMStandIn.withRunning { graph in
            graph.enqueue(.whatsAppAccepted(id: "wamid.A"), .whatsAppAccepted(id: "wamid.B"))
            graph.setDefault(.whatsAppAccepted(id: "wamid.other"))
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.whatsApp, baseURL: graph.baseURL, config: Self.config)
                try await harness.ingest(
                    [
                        LeadInput(fields: [.firstName: "רות", .phone: "+12015550140", .email: "ruth1@example.com"]),
                        LeadInput(fields: [.firstName: "רות", .phone: "+12015550140", .email: "ruth2@example.com"]),
                        LeadInput(fields: [.firstName: "Other", .phone: "+12015550141"]),
                    ],
                    source: source
                )
                let counts = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 3 } }
                #expect(counts == ["succeeded": 3])
                #expect(
                    graph.requests.allSatisfy { $0.path == "/v21.0/106540352242922/messages" && $0.header("Authorization") == "Bearer token-123" }
                )
                let toRuth = graph.requests.filter { String(decoding: $0.body, as: UTF8.self).contains(#""to":"12015550140""#) }
                #expect(toRuth.count == 2)
                if toRuth.count == 2 {
                    let gap = toRuth[1].receivedAt.timeIntervalSince(toRuth[0].receivedAt)
                    #expect(gap >= 5.9, "Meta's pair limit: one message per 6 s to the same person (got \(gap) s)")
                }
                #expect(try await harness.count("SELECT count(*)::int FROM messages WHERE channel = 'whatsapp' AND direction = 'out'") == 3)
                #expect(
                    try await harness.count(
                        "SELECT count(*)::int FROM delivery_attempts WHERE provider_message_id LIKE 'wamid.%' AND message_segments IS NULL"
                    ) == 3
                )
            }
        }
    }

    @Test func aRefusedTokenSuspendsAndUndeliverableIsPermanent() async throws {
        try await CRMStandIn.withRunning { graph in
            graph.enqueue(.whatsAppError(code: 131026, details: "Message undeliverable"))
            graph.setDefault(.whatsAppError(status: 401, code: 190, details: "Error validating access token"))
            try await WorkerTestHarness.run { harness in
                let (destination, source) = try await harness.destination(.whatsApp, baseURL: graph.baseURL, config: Self.config) {
                    $0.rateLimitRequests = 1
                    $0.rateLimitIntervalMilliseconds = 200
                }
                try await harness.ingest([LeadInput(fields: [.firstName: "A", .phone: "+12015550150"])], source: source)
                _ = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["dead"] == 1 } }
                #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE last_error LIKE 'WhatsApp 131026:%'") == 1)
                try await harness.ingest([LeadInput(fields: [.firstName: "B", .phone: "+12015550151"])], source: source)
                _ = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["retrying"] == 1 } }
                let suspended = try await DestinationStore(client: harness.stores.postgres, logger: harness.logger)
                    .find(destination.id.uuidString, tenantId: nil)
                #expect(suspended.suspendedReason?.hasPrefix("WhatsApp 190:") == true)
            }
        }
    }
}
