import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Shared
import TestSupport
import Testing

/// The import's `errors.csv` repeats rejected rows so that any CSV reader gets them back: cells
/// holding line breaks (CR LF above all), quotes and commas are quoted, formula-like cells carry
/// the documented apostrophe.
@Suite("CSV error report round trip")
struct CSVErrorReportRoundTripTests {
    static func report(_ client: some TestClientProtocol, key: String, importId: String) async throws -> [UInt8] {
        let report = try await client.execute(uri: "/api/imports/\(importId)/errors.csv", method: .get, headers: [.authorization: "Bearer \(key)"])
        #expect(report.status == .ok)
        return Array(report.body.readableBytesView)
    }

    @Test func aCellWithAWindowsLineBreakIsQuotedInTheReport() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let csv = "email,a,b,c\r\nnot-an-email-2,\"Once upon \r\na time\",5,6\r\n"
            let response = try await CSVImportTests.importIntoNewSource(csv, client: client, tenant: tenant, stores: stores)
            #expect(response.status == .created)
            #expect(response.json["rejected"] as? Int == 1)
            let id = try #require(response.json["id"] as? String)
            let bytes = try await Self.report(client, key: tenant.apiKey, importId: id)
            #expect(
                String(decoding: bytes.dropFirst(3), as: UTF8.self) == "row,line,reason,email,a,b,c,extra_values\r\n"
                    + "1,2,email: is not a valid email address,not-an-email-2,\"Once upon \r\na time\",5,6,\r\n"
            )
            let rows = try await StandardCSVReader.rows(of: bytes)
            #expect(
                rows == [
                    ["row", "line", "reason", "email", "a", "b", "c", "extra_values"],
                    ["1", "2", "email: is not a valid email address", "not-an-email-2", "Once upon \r\na time", "5", "6", ""],
                ]
            )
        }
    }

    @Test("random rejected cells come back from errors.csv as imported", arguments: [UInt64(21), 42])
    func randomCellsRoundTripThroughTheReport(seed: UInt64) async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            var generator = HardCSVCells(seed: seed)
            let rows = (1...120).map { number in ["not-an-email-\(number)"] + (0..<3).map { _ in generator.next() } }
            let csv = "email,a,b,c\r\n" + rows.map { $0.map(HardCSVCells.alwaysQuoted).joined(separator: ",") + "\r\n" }.joined()
            let response = try await CSVImportTests.importIntoNewSource(csv, client: client, tenant: tenant, stores: stores)
            #expect(response.status == .created, "seed \(seed): \(response.json)")
            #expect(response.json["rejected"] as? Int == rows.count, "seed \(seed)")
            let id = try #require(response.json["id"] as? String)
            let read = try await StandardCSVReader.rows(of: try await Self.report(client, key: tenant.apiKey, importId: id))
            #expect(read.count == rows.count + 1, "seed \(seed): one header and one line per rejected row")
            for (number, (written, got)) in zip(rows, read.dropFirst()).enumerated() {
                #expect(got.count == 8 && got.first == String(number + 1), "seed \(seed), row \(number + 1): \(got)")
                #expect(Array(got.dropFirst(3).prefix(4)) == written.map(HardCSVCells.neutralized), "seed \(seed), row \(number + 1)")
            }
        }
    }
}
