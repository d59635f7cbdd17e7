import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("Operator retries")
struct DeliveryRetryTests {
    @Test func deadDeliveriesRetriedByAnOperatorAreDeliveredAndAudited() async throws {
        try await CRMStandIn.withRunning { crm in
            crm.enqueue(.unprocessable(["email must be an email"]), .unprocessable(["email must be an email"]))
            crm.setDefault(.created(id: "fixed"))
            try await WorkerTestHarness.run { harness in
                let (destination, source) = try await harness.destination(.http, baseURL: nil, config: ["url": .string(crm.baseURL + "/leads")])
                try await harness.ingest(3, source: source)
                let operations = DeliveryOperations(client: harness.stores.postgres, logger: harness.logger)
                let counts = try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["dead"] == 2 && $0["succeeded"] == 1 }
                    // The partner fixed their validation; the operator retries every dead delivery of the destination.
                    let preview = try await operations.retry(
                        DeliveryFilter(status: "dead", destinationId: destination.id),
                        actor: "test",
                        dryRun: true
                    )
                    #expect(preview.count == 2)
                    #expect(try await harness.statuses()["dead"] == 2, "a dry run changes nothing")
                    let retried = try await operations.retry(DeliveryFilter(status: "dead", destinationId: destination.id), actor: "test")
                    #expect(retried.count == 2)
                    try await DeliveryQueue(stores: harness.stores, logger: harness.logger).enqueue(retried)
                    return try await harness.waitForStatuses { $0["succeeded"] == 3 }
                }
                #expect(counts == ["succeeded": 3])
                #expect(
                    try await harness.count(
                        "SELECT count(*)::int FROM audit_log WHERE action = 'deliveries.retry' AND actor = 'test' AND (details->>'count')::int = 2"
                    ) == 1
                )
                #expect(try await harness.count("SELECT count(*)::int FROM delivery_attempts") == 5, "3 first attempts + 2 after the retry, all kept")
                let listed = try await operations.list(DeliveryFilter(status: "succeeded", destinationId: destination.id))
                #expect(listed.count == 3)
                #expect(listed.allSatisfy { $0.destinationName == destination.name })
                await #expect(throws: StoreError.self) {
                    _ = try await operations.retry(DeliveryFilter(status: "succeeded"), actor: "test")
                }
            }
        }
    }
}
