import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

/// The import result says which header column each lead field was read from: in the API's JSON
/// (`field_columns`, on the answer to the upload and on `GET /api/imports/{id}`) and on the
/// dashboard's import page.
@Suite("CSV import field columns")
struct CSVImportFieldColumnsTests {
    static let csv =
        "First Name (Required),E-mail Address,Contact Phone Number,Mobile,Zip/Postal Code,Company\r\n"
        + "Ann,ann@example.com,(201) 555-0123,,07030,Acme\r\n"
        + "Bob,bob@example.com,,(201) 555-0188,07030,Acme\r\n"
    static let expected = [
        "first_name": "First Name (Required)", "email": "E-mail Address", "phone": "Mobile", "postal_code": "Zip/Postal Code",
    ]

    @Test func theAPIResultNamesTheColumnTakenForEachField() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let response = try await CSVImportTests.importIntoNewSource(Self.csv, client: client, tenant: tenant, stores: stores)
            #expect(response.status == .created, "\(response.json)")
            #expect(response.json["accepted"] as? Int == 2)
            #expect(response.json["field_columns"] as? [String: String] == Self.expected)
            let id = try #require(response.json["id"] as? String)
            let shown = try await client.execute(uri: "/api/imports/\(id)", method: .get, headers: [.authorization: "Bearer \(tenant.apiKey)"])
            #expect(shown.json["field_columns"] as? [String: String] == Self.expected)
            let listed = try await client.execute(uri: "/api/imports", method: .get, headers: [.authorization: "Bearer \(tenant.apiKey)"])
            let imports = try #require(listed.json["imports"] as? [[String: Any]])
            #expect(imports.first?["field_columns"] as? [String: String] == Self.expected)
            // Mobile (a whole known name) is read before Contact Phone Number (a name with filler words).
            let phones = try await stores.count("SELECT count(*)::int FROM leads WHERE phone IN ('+12015550123', '+12015550188')")
            #expect(phones == 2, "the other phone column fills in where the chosen one is blank")
        }
    }

    @Test func aFileWithoutAUsableColumnIsRefusedWithItsHeaderAndNoColumnsTaken() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let csv = "Notes about phone,Company,Last Contact\r\ncall after 5,Acme,2026-01-02\r\n"
            let response = try await CSVImportTests.importIntoNewSource(csv, client: client, tenant: tenant, stores: stores)
            #expect(response.status == .unprocessableContent)
            let error = try #require(response.json["error"] as? [String: Any])
            #expect(
                error["message"] as? String == "no column holds an email address or a phone number, so no row can become a lead; "
                    + "the header has: Notes about phone, Company, Last Contact"
            )
            let record = try #require(response.json["import"] as? [String: Any])
            #expect(record["field_columns"] as? [String: String] == [:])
        }
    }

    @Test func theDashboardImportPageListsTheColumnsUsed() async throws {
        try await DashboardTestHarness.run { client, tenantA, _, _, stores in
            let source = try await stores.makeSource(tenantA, name: "Old customers", kind: .csv)
            let browser = try await DashboardBrowser.signIn(client, email: "a@example.com")
            let response = try await client.execute(
                uri: "/dashboard/imports?source=\(source.id)&filename=export.csv",
                method: .post,
                headers: [
                    .contentType: "text/csv", .cookie: "lr_session=\(browser.sessionCookie)",
                    try #require(HTTPField.Name("X-CSRF-Token")): browser.csrf,
                ],
                body: ByteBuffer(string: Self.csv)
            )
            #expect(response.status == .created)
            let page = String(buffer: try await browser.get(try #require(response.headers[.location])).body)
            #expect(page.contains("<h2>Columns used</h2>"))
            for (field, column) in [
                ("first_name", "First Name (Required)"), ("email", "E-mail Address"), ("phone", "Mobile"),
                ("postal_code", "Zip/Postal Code"),
            ] {
                #expect(page.contains("<tr><td class=\"mono\">\(field)</td><td>\(column)</td></tr>"), "\(field)")
            }
        }
    }
}
