import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A rejected configuration form shows each problem next to its field (the templates read
/// `errors.<input name>`), not only in the summary at the top.
@Suite("Dashboard forms: problems next to their fields")
struct DashboardFieldErrorsTests {
    @Test(
        arguments: [
            (
                "/dashboard/destinations",
                [
                    ("name", "CRM"), ("kind", "http"), ("base_url", "ftp://example.com"), ("max_attempts", "0"), ("timeout_ms", "5"),
                    ("rate_limit_requests", "5"), ("rate_limit_interval_ms", ""),
                ],
                [
                    "must be an http:// or https:// URL", "must be a whole number from 1 to 100", "must be a whole number from 100 to 120000",
                    "needs both a number of requests and an interval, or neither",
                ]
            ),
            (
                "/dashboard/sources",
                [("name", "Form"), ("kind", "api"), ("field_map", "[1]"), ("secret_signing_secret", "x")],
                ["is not valid JSON of the expected shape", "only webhook sources use secrets"]
            ),
            ("/dashboard/api-keys", [("name", "Key"), ("requests_per_minute", "0")], ["must be a whole number from 1 to 1000000"]),
        ]
    )
    func aMembersFormShowsEachProblemByItsField(path: String, fields: [(String, String)], problems: [String]) async throws {
        try await DashboardTestHarness.run { client, _, _, _, _ in
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let response = try await browser.post(path, fields)
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            for problem in problems {
                #expect(html.contains("<span class=\"alert\">\(problem)"), "\(path): no field-level \(problem)")
            }
        }
    }

    @Test func theTenantFormShowsTheNotificationEmailProblemByItsField() async throws {
        try await DashboardTestHarness.run { client, _, _, _, _ in
            let browser = try await DashboardBrowser.signIn(client, email: "ops@example.com")
            let response = try await browser.post(
                "/dashboard/tenants",
                [("name", "T"), ("slug", "t-field"), ("region", "US"), ("timezone", "UTC"), ("notification_email", "nope")]
            )
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains("<span class=\"alert\">is not an email address</span>"))
        }
    }
}
