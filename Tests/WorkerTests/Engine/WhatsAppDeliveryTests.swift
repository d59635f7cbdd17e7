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

    @Test func theTwentyFourHourWindowBelongsToTheNumberNotTheLead() async throws {
        try await CRMStandIn.withRunning { graph in
            graph.setDefault(.whatsAppAccepted(id: "wamid.window"))
            try await WorkerTestHarness.run { harness in
                var config = Self.config
                config["text"] = .string("היי {{first_name}}, ראינו את ההודעה שלך")
                let (_, source) = try await harness.destination(.whatsApp, baseURL: graph.baseURL, config: config)
                // The number wrote to the tenant an hour ago, as an earlier lead (or before any lead matched it);
                // another number wrote two days ago, outside the window.
                try await harness.stores.postgres.query(
                    """
                    INSERT INTO messages (tenant_id, direction, channel, address, body, created_at) VALUES
                        (\(harness.tenant.id), 'in', 'whatsapp', '+12015550150', 'hi', now() - interval '1 hour'),
                        (\(harness.tenant.id), 'in', 'whatsapp', '+12015550151', 'hi', now() - interval '2 days')
                    """
                )
                try await harness.ingest(
                    [
                        LeadInput(fields: [.firstName: "דנה", .phone: "+12015550150"]),
                        LeadInput(fields: [.firstName: "Old", .phone: "+12015550151"]),
                    ],
                    source: source
                )
                _ = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["succeeded"] == 2 } }
                let bodies = graph.requests.map { String(decoding: $0.body, as: UTF8.self) }
                let open = bodies.first { $0.contains(#""to":"12015550150""#) } ?? ""
                let closed = bodies.first { $0.contains(#""to":"12015550151""#) } ?? ""
                #expect(open.contains(#""type":"text""#), "free text inside the number's window: \(open)")
                #expect(closed.contains(#""type":"template""#), "a template outside it: \(closed)")
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
