import Foundation
import NIOHTTP1
import Shared
import WorkerApp

/// Leads, destinations and secrets shared by the destination tests.
enum DestinationFixtures {
    static let secret = "sk_live_Secret-Token_123456"

    static let lead = DeliveryLead(
        id: 42,
        firstName: "Jane",
        lastName: "Doe",
        email: "jane@example.com",
        phone: "+12015550291",
        phoneRaw: "(201) 555-0291",
        postalCode: "60601",
        notes: "Wants a trial class",
        extra: [
            "Goal": .string("strength"), "vehicle_make": .string("Toyota"), "vehicle_model": .string("Corolla"),
            "vehicle_year": .number(2019), "channel": .string("sms"), "discovery_answer": .string("Instagram"),
            "interests": .array([.string("yoga"), .string("spin")]),
        ],
        externalId: "fb-123",
        sourceName: "Website form",
        receivedAt: Date(timeIntervalSince1970: 1_750_000_000)
    )

    static let emailOnlyLead = DeliveryLead(id: 7, email: "solo@example.com")
    static let phoneOnlyLead = DeliveryLead(id: 8, firstName: "Pat", phone: "+447911123456")

    static func destination(
        _ kind: DestinationKind,
        config: [String: JSONValue]? = nil,
        baseURL: String? = nil,
        timeoutMilliseconds: Int = 20_000,
        dryRun: Bool = false
    ) -> Destination {
        var destination = Destination.withDefaults(
            tenantId: UUID(),
            name: "\(kind.rawValue) test",
            kind: kind,
            config: config ?? defaultConfig(kind),
            baseURL: baseURL,
            dryRun: dryRun
        )
        destination.timeoutMilliseconds = timeoutMilliseconds
        destination.hasSecret = true
        return destination
    }

    static func defaultConfig(_ kind: DestinationKind) -> [String: JSONValue] {
        switch kind {
        case .ghl, .ghlV1: ["locationId": .string("ve9EPM428h8vShlRW1KT")]
        case .momence: ["hostId": .string("12345"), "sourceId": .number(7)]
        default: ["url": .string("https://partner.example.com/api/leads")]
        }
    }

    /// The request's headers as (name, value) pairs.
    static func pairs(_ headers: HTTPHeaders) -> [(name: String, value: String)] {
        headers.map { ($0.name, $0.value) }
    }

    /// The request body decoded as a JSON object.
    static func body(_ request: DeliveryRequest) -> [String: JSONValue] {
        guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)) else { return [:] }
        return members
    }
}
