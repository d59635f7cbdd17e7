import Foundation
import Shared
import Testing

@Suite("Shopmonkey poll config")
struct ShopmonkeyPollConfigTests {
    /// The field `config` is rejected for (nil when it is accepted).
    static func rejectedField(_ config: [String: JSONValue], fieldPrefix: String = "config.") -> String? {
        do {
            _ = try ShopmonkeyPollConfig(config, fieldPrefix: fieldPrefix)
            return nil
        } catch {
            return error.invalidField ?? "\(error)"
        }
    }

    @Test func anEmptyConfigTakesTheDefaults() throws {
        let config = try ShopmonkeyPollConfig([:])
        #expect(config.apiBaseURL == "https://api.shopmonkey.cloud/v3")
        #expect(config.apiBaseURL == ShopmonkeyPollConfig.defaultAPIBaseURL)
        #expect(config.pollInterval == 30)
        #expect(config.resources == [.customer])
        #expect(config.overlap == 300)
        #expect(config.start == .now)
    }

    @Test func everySettingIsRead() throws {
        let config = try ShopmonkeyPollConfig([
            "api_base_url": "http://127.0.0.1:9000/v3/", "poll_interval": "1m", "resources": ["order", "customer", "order"],
            "overlap": 0, "start_at": "beginning",
        ])
        #expect(config.apiBaseURL == "http://127.0.0.1:9000/v3")
        #expect(config.pollInterval == 60)
        #expect(config.resources == [.order, .customer])
        #expect(config.overlap == 0)
        #expect(config.start == .beginning)
    }

    @Test func aStartTimeIsAnISO8601Time() throws {
        let config = try ShopmonkeyPollConfig(["start_at": "2026-12-01T08:30:00Z"])
        #expect(config.start == .since(Date(timeIntervalSince1970: 1_796_113_800)))
        let zoned = try ShopmonkeyPollConfig(["start_at": "2026-12-01T10:30:00+02:00"])
        #expect(zoned.start == .since(Date(timeIntervalSince1970: 1_796_113_800)))
    }

    @Test
    func aStartTimeMayHaveMilliseconds() throws {
        let config = try ShopmonkeyPollConfig(["start_at": "2026-12-01T08:30:00.000Z"])
        #expect(config.start == .since(Date(timeIntervalSince1970: 1_796_113_800)))
    }

    @Test(
        arguments: [
            (["api_token": "secret"], "config.api_token"),
            (["pollInterval": 30], "config.pollInterval"),
            (["api_base_url": "ftp://shopmonkey"], "config.api_base_url"),
            (["api_base_url": 3], "config.api_base_url"),
            (["poll_interval": 9], "config.poll_interval"),
            (["poll_interval": "0"], "config.poll_interval"),
            (["overlap": -1], "config.overlap"),
            (["overlap": "2d"], "config.overlap"),
            (["resources": []], "config.resources"),
            (["resources": ["invoice"]], "config.resources"),
            (["resources": "customer"], "config.resources"),
            (["resources": [["customer"]]], "config.resources"),
            (["start_at": "yesterday"], "config.start_at"),
            (["start_at": 0], "config.start_at"),
        ] as [([String: JSONValue], String)]
    )
    func aBadSettingIsRejectedNamingIt(config: [String: JSONValue], field: String) {
        #expect(Self.rejectedField(config) == field)
    }

    @Test(
        arguments: [
            (["bogus": 1], "config.poll.bogus"),
            (["poll_interval": 5], "config.poll.poll_interval"),
            (["resources": ["invoice"]], "config.poll.resources"),
            (["start_at": "soon"], "config.poll.start_at"),
        ] as [([String: JSONValue], String)]
    )
    func errorsInAWebhookSourcesPollObjectNameIt(config: [String: JSONValue], field: String) {
        #expect(Self.rejectedField(config, fieldPrefix: "config.poll.") == field)
    }

    @Test func theMessageSurvivesTheRenaming() {
        let error = #expect(throws: StoreError.self) { try ShopmonkeyPollConfig(["poll_interval": 5], fieldPrefix: "config.poll.") }
        #expect(error?.invalidMessage?.contains("from 10 to 86400 seconds") == true)
    }
}
