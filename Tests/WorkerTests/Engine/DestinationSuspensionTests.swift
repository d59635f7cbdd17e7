import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("Destination suspension")
struct DestinationSuspensionTests {
    @Test func aRefusedCredentialSuspendsTheDestinationInsteadOfSpendingEveryLeadsAttempts() async throws {
        try await CRMStandIn.withRunning { twilio in
            twilio.setDefault(.twilioError(status: 401, code: 20003, message: "Authenticate"))
            try await WorkerTestHarness.run { harness in
                let (destination, source) = try await harness.destination(
                    .twilioSMS,
                    baseURL: twilio.baseURL,
                    config: MessagingDeliveryTests.config
                ) {
                    $0.maxAttempts = 1
                    // Twilio's 1/s would let a second call out when a loaded machine takes over a
                    // second to answer the first: slots 10 s apart keep "one call" about suspension.
                    $0.rateLimitIntervalMilliseconds = 10_000
                }
                let leads = (0..<20).map { LeadInput(fields: [.firstName: "L\($0)", .phone: "+1201555\(String(format: "%04d", 3000 + $0))"]) }
                try await harness.ingest(leads, source: source)
                let counts = try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["retrying"] == 20 }
                }
                #expect(counts == ["retrying": 20], "none dead although max_attempts is 1")
                #expect(twilio.requests.count == 1, "one call found the credential refused; the rest waited without calling")
                #expect(try await harness.count("SELECT count(*)::int FROM deliveries WHERE attempts = 0") == 20, "no lead spent an attempt")
                // The rest either waited for a rate-limit slot (no reason recorded) or found the suspension.
                #expect(
                    try await harness.count(
                        "SELECT count(*)::int FROM deliveries WHERE last_error_class = 'credential_rejected' OR last_error_class IS NULL"
                    ) == 20
                )
                #expect(try await harness.count("SELECT count(*)::int FROM delivery_attempts WHERE error_class = 'credential_rejected'") == 1)

                let store = DestinationStore(client: harness.stores.postgres, logger: harness.logger)
                let suspended = try await store.find(destination.id.uuidString, tenantId: nil)
                #expect(suspended.suspendedAt != nil)
                #expect(suspended.suspendedReason?.contains("20003") == true)
                #expect(try await harness.count("SELECT count(*)::int FROM audit_log WHERE action = 'destination.suspend'") == 1)

                _ = try await store.update(suspended)
                #expect(try await store.find(destination.id.uuidString, tenantId: nil).suspendedAt != nil, "a save without a new secret keeps it")
                let replaced = try await store.update(suspended, sealedSecret: try harness.configuration.secretBox.seal("new-token"))
                #expect(replaced.suspendedAt == nil && replaced.suspendedReason == nil, "a new credential lifts the suspension")
            }
        }
    }
}
