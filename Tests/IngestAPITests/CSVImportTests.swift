import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("CSV import API")
struct CSVImportTests {
    static func csvFixture(_ name: String) throws -> ByteBuffer {
        ByteBuffer(bytes: try Data(contentsOf: TestEnvironment.fixtures.appendingPathComponent("csv/\(name)")))
    }

    static func upload(
        _ client: some TestClientProtocol,
        key: String,
        source: String,
        body: ByteBuffer,
        contentType: String = "text/csv"
    ) async throws -> PatientResponse {
        try await client.executePatiently(
            uri: "/api/imports?source=\(source)&filename=test.csv",
            method: .post,
            headers: [.authorization: "Bearer \(key)", .contentType: contentType],
            body: body
        )
    }

    struct Expectation: Sendable, CustomTestStringConvertible {
        var file: String
        var rows: Int
        var accepted: Int
        var duplicates: Int
        var rejected: Int
        var encoding: String
        var delimiter: String
        var testDescription: String { file }
    }

    @Test(arguments: [
        Expectation(
            file: "excel_semicolon_bom.csv",
            rows: 25,
            accepted: 25,
            duplicates: 0,
            rejected: 0,
            encoding: "UTF-8 (with BOM)",
            delimiter: ";"
        ),
        Expectation(file: "facebook_lead_ads_export.csv", rows: 42, accepted: 39, duplicates: 2, rejected: 1, encoding: "UTF-8", delimiter: ","),
        Expectation(
            file: "facebook_lead_ads_export_utf16.tsv",
            rows: 12,
            accepted: 11,
            duplicates: 0,
            rejected: 1,
            encoding: "UTF-16LE",
            delimiter: "\\t"
        ),
        Expectation(file: "roofing_historical_leads.csv", rows: 121, accepted: 120, duplicates: 1, rejected: 0, encoding: "UTF-8", delimiter: ","),
        Expectation(file: "malformed/latin1.csv", rows: 2, accepted: 2, duplicates: 0, rejected: 0, encoding: "Windows-1252", delimiter: ","),
        Expectation(file: "malformed/ragged_rows.csv", rows: 3, accepted: 2, duplicates: 0, rejected: 1, encoding: "UTF-8", delimiter: ","),
        Expectation(file: "malformed/unterminated_quote.csv", rows: 2, accepted: 1, duplicates: 0, rejected: 1, encoding: "UTF-8", delimiter: ","),
        Expectation(file: "malformed/formula_injection.csv", rows: 2, accepted: 2, duplicates: 0, rejected: 0, encoding: "UTF-8", delimiter: ","),
    ])
    func importsRealWorldFiles(_ expected: Expectation) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "CSV", kind: .csv)
            let response = try await Self.upload(client, key: tenant.apiKey, source: source.name, body: try Self.csvFixture(expected.file))
            let json = response.json
            #expect(response.status == .created, "\(json)")
            #expect(json["status"] as? String == "completed")
            #expect(json["rows_total"] as? Int == expected.rows)
            #expect(json["accepted"] as? Int == expected.accepted)
            #expect(json["duplicates"] as? Int == expected.duplicates)
            #expect(json["rejected"] as? Int == expected.rejected)
            #expect(json["encoding"] as? String == expected.encoding)
            #expect(json["delimiter"] as? String == expected.delimiter)
            let id = try #require(json["id"] as? String)
            #expect(response.headers[.location] == "/api/imports/\(id)")
            #expect(
                try await stores.count("SELECT count(*)::int FROM leads WHERE import_id = \(UUID(uuidString: id)) AND channel = 'csv'")
                    == expected.accepted
            )
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries") == expected.accepted * 2)
            #expect(try await stores.count("SELECT count(*)::int FROM import_errors") == expected.rejected)
        }
    }

    @Test(arguments: [
        ("malformed/binary.csv", "file is not text: binary content at byte"),
        ("malformed/empty.csv", "file is empty"),
        ("malformed/header_only.csv", "the file has a header row but no data rows"),
        (
            "malformed/no_contact_columns.csv",
            "no column holds an email address or a phone number, so no row can become a lead; the header has: color, size"
        ),
    ])
    func filesThatAreNotImportableFailWithAReason(file: String, reason: String) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "CSV", kind: .csv)
            let response = try await Self.upload(client, key: tenant.apiKey, source: source.name, body: try Self.csvFixture(file))
            #expect(response.status == .unprocessableContent)
            let error = try #require(response.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "import_failed")
            #expect((error["message"] as? String)?.hasPrefix(reason) == true, "\(error)")
            let record = try #require(response.json["import"] as? [String: Any])
            #expect(record["status"] as? String == "failed")
            #expect((record["failure_reason"] as? String)?.hasPrefix(reason) == true)
            #expect(try await stores.count("SELECT count(*)::int FROM leads") == 0, "nothing of a non-CSV file is imported")
            let id = try #require(record["id"] as? String)
            let shown = try await client.execute(uri: "/api/imports/\(id)", method: .get, headers: [.authorization: "Bearer \(tenant.apiKey)"])
            #expect(shown.json["status"] as? String == "failed")
        }
    }

    @Test func theErrorReportListsRejectedRowsWithReasonsAndNeutralisedFormulas() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "CSV", kind: .csv)
            let csv =
                [
                    "first_name,last_name,email,phone",
                    "Ana,Diaz,ana@example.com,2015550123",
                    #"=HYPERLINK("http://evil.example"),@cmd,not-an-email,"#,
                    #""Multi, ""quoted""",-2+3,,"#,
                    "+SUM(1),Ok,ok@example.com,",
                ].joined(separator: "\r\n") + "\r\n"
            let response = try await Self.upload(client, key: tenant.apiKey, source: source.id.uuidString, body: ByteBuffer(string: csv))
            #expect(response.status == .created)
            #expect(response.json["accepted"] as? Int == 2)
            #expect(response.json["rejected"] as? Int == 2)
            let errors = try #require(response.json["errors"] as? [[String: Any]])
            #expect(errors.map { $0["row"] as? Int } == [2, 3])
            #expect(errors.first?["reason"] as? String == "email: is not a valid email address")
            #expect(errors.last?["line"] as? Int == 4)
            let id = try #require(response.json["id"] as? String)

            let report = try await client.execute(
                uri: "/api/imports/\(id)/errors.csv",
                method: .get,
                headers: [.authorization: "Bearer \(tenant.apiKey)"]
            )
            #expect(report.status == .ok)
            #expect(report.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(report.headers[.contentDisposition] == "attachment; filename=\"import-\(id)-errors.csv\"")
            let bytes = Array(report.body.readableBytesView)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(
                text == [
                    "row,line,reason,first_name,last_name,email,phone,extra_values",
                    #"2,3,email: is not a valid email address,"'=HYPERLINK(""http://evil.example"")",'@cmd,not-an-email,,"#,
                    #"3,4,email: a lead needs an email or a phone number,"Multi, ""quoted""",'-2+3,,,"#,
                ].joined(separator: "\r\n") + "\r\n"
            )
        }
    }

    @Test func aMultipartUploadWithAFileFieldIsStreamedLikeARawBody() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "CSV", kind: .csv)
            let boundary = "----lrBoundary7"
            var body = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n")
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"leads.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            var file = try Self.csvFixture("excel_semicolon_bom.csv")
            body.writeBuffer(&file)
            body.writeString("\r\n--\(boundary)--\r\n")
            let response = try await Self.upload(
                client,
                key: tenant.apiKey,
                source: source.name,
                body: body,
                contentType: "multipart/form-data; boundary=\(boundary)"
            )
            #expect(response.status == .created, "\(response.json)")
            #expect(response.json["accepted"] as? Int == 25)

            let missing = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--\(boundary)--\r\n")
            let noFile = try await Self.upload(
                client,
                key: tenant.apiKey,
                source: source.name,
                body: missing,
                contentType: "multipart/form-data; boundary=\(boundary)"
            )
            #expect(noFile.status == .badRequest)
            #expect((noFile.json["error"] as? [String: Any])?["code"] as? String == "missing_file")
        }
    }

    @Test func aLargeFileIsCommittedInBatchesAndDeduplicatedAcrossThem() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "CSV", kind: .csv)
            var csv = "email,phone,first_name\n"
            let rows = 5_000  // three batches of 2,000
            for index in 0..<rows {
                // Every 1000th row repeats row 0, from a later batch.
                let email = index > 0 && index % 1_000 == 0 ? "lead0@example.com" : "lead\(index)@example.com"
                csv += "\(email),+1201555\(String(format: "%04d", index % 10_000)),Name\(index)\n"
            }
            let response = try await Self.upload(client, key: tenant.apiKey, source: source.name, body: ByteBuffer(string: csv))
            #expect(response.status == .created)
            #expect(response.json["rows_total"] as? Int == rows)
            #expect(response.json["duplicates"] as? Int == 0, "different phone or name → a different lead under the dedup rule")
            #expect(response.json["accepted"] as? Int == rows)
            let again = try await Self.upload(client, key: tenant.apiKey, source: source.name, body: ByteBuffer(string: csv))
            #expect(again.json["accepted"] as? Int == 0)
            #expect(again.json["duplicates"] as? Int == rows)
            #expect(try await stores.count("SELECT count(*)::int FROM leads") == rows)
        }
    }

    @Test func importsAreVisibleOnlyToTheirTenant() async throws {
        try await IngestAPITestHarness.run { client, first, second, stores in
            let source = try await stores.makeSource(first, name: "CSV", kind: .csv)
            let created = try await Self.upload(
                client,
                key: first.apiKey,
                source: source.name,
                body: try Self.csvFixture("malformed/ragged_rows.csv")
            )
            let id = try #require(created.json["id"] as? String)
            for path in ["/api/imports/\(id)", "/api/imports/\(id)/errors.csv"] {
                let foreign = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(second.apiKey)"])
                #expect(foreign.status == .notFound, "\(path)")
                let own = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(first.apiKey)"])
                #expect(own.status == .ok, "\(path)")
            }
            let list = try await client.execute(uri: "/api/imports", method: .get, headers: [.authorization: "Bearer \(second.apiKey)"])
            #expect((list.json["imports"] as? [Any])?.isEmpty == true)
            let intoForeign = try await Self.upload(
                client,
                key: second.apiKey,
                source: source.id.uuidString,
                body: ByteBuffer(string: "email\na@b.co\n")
            )
            #expect(intoForeign.status == .notFound)
            #expect(try await stores.count("SELECT count(*)::int FROM imports") == 1)
        }
    }

    @Test(arguments: [
        ("application/json", "CSV", HTTPResponse.Status.unsupportedMediaType, "unsupported_media_type"),
        ("text/csv", "", .badRequest, "missing_source"),
        ("text/csv", "nope", .notFound, "not_found"),
        ("text/csv", "API", .created, ""),
    ])
    func refusesBadUploadsClearly(contentType: String, source: String, status: HTTPResponse.Status, code: String) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            _ = try await stores.makeSource(tenant, name: "CSV", kind: .csv)
            let response = try await Self.upload(
                client,
                key: tenant.apiKey,
                source: source,
                body: ByteBuffer(string: "email\na@b.co\n"),
                contentType: contentType
            )
            #expect(response.status == status)
            if !code.isEmpty { #expect((response.json["error"] as? [String: Any])?["code"] as? String == code) }
        }
    }
}
