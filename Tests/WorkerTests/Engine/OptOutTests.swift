import Foundation
import PostgresNIO
import Redis
import Shared
import TestSupport
import Testing
import WorkerApp

@Suite("Opt-outs")
struct OptOutTests {
    typealias M = MessagingDeliveryTests

    @Test func anOptedOutAddressIsSkippedBeforeTheSendAndTheOptOutOutlivesRedis() async throws {
        try await CRMStandIn.withRunning { twilio in
            twilio.setDefault(.twilioCreated())
            try await WorkerTestHarness.run { harness in
                let optOuts = OptOutStore(client: harness.stores.postgres, logger: harness.logger)
                #expect(
                    try await optOuts.set(
                        true,
                        tenantId: harness.tenant.id,
                        channel: .sms,
                        address: " +12015550177 ",
                        cause: "operator",
                        actor: "test"
                    )
                )
                #expect(
                    try await !optOuts.set(
                        true,
                        tenantId: harness.tenant.id,
                        channel: .sms,
                        address: "+12015550177",
                        cause: "operator",
                        actor: "test"
                    ),
                    "opting out twice changes nothing"
                )
                // Everything this deployment keeps on Redis is gone; the opt-out is not.
                try await harness.wipeRedis()
                #expect(try await optOuts.isOptedOut(tenantId: harness.tenant.id, channel: .sms, address: "+12015550177"))
                #expect(try await !optOuts.isOptedOut(tenantId: harness.tenant.id, channel: .whatsapp, address: "+12015550177"))

                let (_, source) = try await harness.destination(.twilioSMS, baseURL: twilio.baseURL, config: M.config)
                try await harness.ingest(
                    [
                        LeadInput(fields: [.firstName: "Stop", .phone: "+12015550177"]),
                        LeadInput(fields: [.firstName: "Go", .phone: "+12015550178"]),
                    ],
                    source: source
                )
                let counts = try await harness.withWorkers { _ in
                    try await harness.waitForStatuses { $0["succeeded"] == 1 && $0["skipped"] == 1 }
                }
                #expect(counts == ["succeeded": 1, "skipped": 1])
                #expect(twilio.requests.map { TwilioRequestCheck.field("To", in: $0.body) } == ["+12015550178"])
                #expect(
                    try await harness.count(
                        "SELECT count(*)::int FROM deliveries WHERE status = 'skipped' AND last_error_class = 'opted_out' AND attempts = 0"
                    ) == 1
                )
                #expect(try await harness.count("SELECT count(*)::int FROM audit_log WHERE action = 'optouts.add'") == 1)

                #expect(
                    try await optOuts.set(false, tenantId: harness.tenant.id, channel: .sms, address: "+12015550177", cause: "operator", actor: "t")
                )
                let listed = try await optOuts.list(tenantId: harness.tenant.id)
                #expect(listed.isEmpty, "opted back in")
                #expect(try await optOuts.list(tenantId: harness.tenant.id, includeOptedIn: true).map(\.optedOut) == [false])
            }
        }
    }

    @Test func twilio21610RecordsTheOptOutSoTheNextMessageIsSkippedWithoutACall() async throws {
        try await CRMStandIn.withRunning { twilio in
            twilio.enqueue(.twilioError(status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient"))
            twilio.setDefault(.twilioCreated())
            try await WorkerTestHarness.run { harness in
                let (_, source) = try await harness.destination(.twilioSMS, baseURL: twilio.baseURL, config: M.config)
                try await harness.ingest([LeadInput(fields: [.firstName: "A", .phone: "+12015550199", .email: "a@example.com"])], source: source)
                let first = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["dead"] == 1 } }
                #expect(first == ["dead": 1])
                let optOuts = OptOutStore(client: harness.stores.postgres, logger: harness.logger)
                #expect(try await optOuts.isOptedOut(tenantId: harness.tenant.id, channel: .sms, address: "+12015550199"))
                #expect(try await optOuts.list(tenantId: harness.tenant.id).first?.cause == "provider_error")

                try await harness.ingest([LeadInput(fields: [.firstName: "A", .phone: "+12015550199", .email: "a2@example.com"])], source: source)
                let second = try await harness.withWorkers { _ in try await harness.waitForStatuses { $0["skipped"] == 1 } }
                #expect(second == ["dead": 1, "skipped": 1])
                #expect(twilio.requests.count == 1, "the second lead with the same phone is not sent")
            }
        }
    }

    @Test(arguments: [
        (MessageChannel.sms, "+972501234567", "+972501234567"),
        (MessageChannel.email, " Dana@Example.COM ", "dana@example.com"),
    ])
    func addressesAreKeptNormalized(_ channel: MessageChannel, _ given: String, _ kept: String) throws {
        #expect(try OptOutStore.normalizedAddress(given, channel: channel) == kept)
    }

    @Test(arguments: [(MessageChannel.sms, "0501234567"), (MessageChannel.whatsapp, "+0123"), (MessageChannel.email, "not an email")])
    func anAddressTheChannelCannotUseIsRefused(_ channel: MessageChannel, _ given: String) {
        #expect(throws: StoreError.self) { try OptOutStore.normalizedAddress(given, channel: channel) }
    }
}
