import Shared
import Testing

@Suite("Polled sources: which sources poll, and how often")
struct PolledSourceTests {
    /// The field a source of `kind`/`preset` with `config` is rejected for (nil when accepted).
    static func rejectedField(_ kind: SourceKind, _ preset: WebhookPreset?, _ config: [String: JSONValue]) -> String? {
        do {
            _ = try PolledSource(kind: kind, preset: preset, config: config)
            return nil
        } catch {
            return error.invalidField ?? "\(error)"
        }
    }

    @Test func aSheetSourcePollsItsSpreadsheet() throws {
        let polled = try PolledSource(kind: .sheet, preset: nil, config: ["spreadsheet_id": "abc", "range": "Leads!A:Z", "poll_interval": 15])
        guard case .sheet(let config)? = polled else {
            Issue.record("expected a sheet, got \(String(describing: polled))")
            return
        }
        #expect(config.spreadsheetId == "abc")
        #expect(polled?.pollInterval == 15)
    }

    @Test func aShopmonkeyPollSourcePolls() throws {
        let polled = try PolledSource(kind: .shopmonkeyPoll, preset: nil, config: [:])
        #expect(polled == .shopmonkey(try ShopmonkeyPollConfig([:])))
        #expect(polled?.pollInterval == 30)
    }

    @Test func aShopmonkeyWebhookSourcePollsOnlyWithAPollObject() throws {
        #expect(try PolledSource(kind: .webhook, preset: .shopmonkey, config: [:]) == nil)
        let polled = try PolledSource(kind: .webhook, preset: .shopmonkey, config: ["poll": ["poll_interval": 45, "resources": ["order"]]])
        #expect(polled == .shopmonkey(try ShopmonkeyPollConfig(["poll_interval": 45, "resources": ["order"]])))
        #expect(polled?.pollInterval == 45)
        #expect(try PolledSource(kind: .webhook, preset: .shopmonkey, config: ["poll": [:]]) == .shopmonkey(try ShopmonkeyPollConfig([:])))
    }

    @Test(arguments: [
        (SourceKind.api, WebhookPreset?.none), (.form, nil), (.csv, nil), (.webhook, nil), (.webhook, .generic), (.webhook, .zapier),
        (.webhook, .facebook), (.webhook, .monday),
    ])
    func otherSourcesDoNotPollEvenWithAPollObject(kind: SourceKind, preset: WebhookPreset?) throws {
        #expect(try PolledSource(kind: kind, preset: preset, config: ["poll": ["poll_interval": 30]]) == nil)
    }

    @Test(
        arguments: [
            (SourceKind.sheet, WebhookPreset?.none, ["range": "Leads!A:Z"], "config.spreadsheet_id"),
            (.sheet, nil, ["spreadsheet_id": "abc", "range": "Leads!A:Z", "poll": ["poll_interval": 30]], "config.poll"),
            (.shopmonkeyPoll, nil, ["poll_interval": 5], "config.poll_interval"),
            (.shopmonkeyPoll, nil, ["poll": ["poll_interval": 30]], "config.poll"),
            (.webhook, .shopmonkey, ["poll": 30], "config.poll"),
            (.webhook, .shopmonkey, ["poll": true], "config.poll"),
            (.webhook, .shopmonkey, ["poll": ["poll_interval": 5]], "config.poll.poll_interval"),
            (.webhook, .shopmonkey, ["poll": ["interval": 30]], "config.poll.interval"),
            (.webhook, .shopmonkey, ["poll": ["resources": []]], "config.poll.resources"),
        ] as [(SourceKind, WebhookPreset?, [String: JSONValue], String)]
    )
    func aBadPollingConfigIsRejectedNamingTheField(kind: SourceKind, preset: WebhookPreset?, config: [String: JSONValue], field: String) {
        #expect(Self.rejectedField(kind, preset, config) == field)
    }
}
