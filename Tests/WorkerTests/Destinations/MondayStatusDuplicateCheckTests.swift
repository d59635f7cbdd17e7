import Foundation
import NIOHTTP1
import Shared
import TestSupport
import Testing
import WorkerApp

extension Destinations {
    @Suite("Monday status: reading the item before writing again")
    struct MondayStatusDuplicateCheckTests {
        typealias F = DestinationFixtures

        static func check() throws -> DuplicateCheck {
            let destination = F.destination(.mondayStatus, config: MondayStatusRequestTests.config)
            let adapter = try #require(DestinationRegistry.adapter(for: .mondayStatus))
            let write = try adapter.request(for: F.mondayLead, to: destination, secret: F.secret)
            return try #require(adapter.duplicateCheck(since: Date(), sending: write, to: destination, secret: F.secret))
        }

        static func read(_ text: String) -> DeliveryResponse {
            DeliveryResponse(status: 200, text: MondayStatusQueryTests.answer(text))
        }

        @Test func theReadAsksForTheItemsStatusColumn() throws {
            let check = try Self.check()
            #expect(F.body(check.request)["query"] == .string(MondayStatusQueryTests.query))
            #expect(F.body(check.request)["variables"] == .object(["item": "1234567890", "column": "status"]))
            #expect(check.request.headers.first(name: "Authorization") == F.secret)
        }

        @Test func theSameLabelMeansAlreadySetAndAnyOtherMeansWriteIt() throws {
            let check = try Self.check()
            #expect(check.interpret(Self.read(#""נשלחה הודעה""#)) == .alreadySent(externalId: "1234567890"))
            #expect(check.interpret(Self.read(#""אין מענה 1""#)) == .notSent)
            #expect(check.interpret(Self.read("null")) == .notSent)
            let budget = #"{"errors":[{"message":"Complexity budget exhausted","extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED"}}]}"#
            guard case .unknown(let reason) = check.interpret(DeliveryResponse(status: 200, text: budget)) else {
                Issue.record("a failed read was taken as an answer")
                return
            }
            #expect(reason.contains("COMPLEXITY_BUDGET_EXHAUSTED"))
        }
    }
}
