import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import Shared
import TestSupport
import Testing

@Suite("Dashboard notices come from the server, never from the URL")
struct DashboardNoticeTests {
    static let phishing = "Your account is suspended. Call +1 555 0100 to verify your password."

    @Test(arguments: ["/dashboard", "/dashboard/users", "/dashboard/leads"])
    func aNoticeInTheQueryIsNotShown(_ path: String) async throws {
        try await DashboardTestHarness.run { client, _, _, _, _ in
            let browser = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            let page = try await browser.get(path + "?notice=" + urlEncoded(Self.phishing))
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(!html.contains("Call +1 555 0100"))
            #expect(!html.contains("class=\"notice\""))
        }
    }

    @Test func anActionsNoticeShowsOnceOnTheNextPage() async throws {
        try await DashboardTestHarness.run { client, _, _, _, _ in
            let browser = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            let created = try await browser.post(
                "/dashboard/users",
                [
                    ("email", "new-user@example.com"), ("role", "operator"), ("password", "a long enough password"),
                ]
            )
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            #expect(!location.contains("notice"))
            let page = String(buffer: try await browser.get(location).body)
            #expect(page.contains("User new-user@example.com created."))
            let again = String(buffer: try await browser.get(location).body)
            #expect(!again.contains("User new-user@example.com created."))
        }
    }
}
