import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

/// `leadctl export --format csv` read back by a standard CSV reader (Python's `csv`) gives the
/// stored text, after the documented apostrophe in front of formula-like cells.
@Suite("Lead export round trip")
struct LeadExportRoundTripTests {
    @Test("random CRM ids and errors come back from the CSV export as stored", arguments: [UInt64(7), 2_026])
    func randomCellsRoundTripThroughTheExport(seed: UInt64) async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Acme")
            let crm = try await fixture.destination(tenant, "CRM")
            let form = try await fixture.source(tenant, "Web form", destinations: [crm])
            let normalizer = LeadNormalizer(defaultRegion: "US")
            let leads = (0..<100).compactMap { index -> NormalizedLead? in
                guard case .success(let lead) = normalizer.normalize(LeadInput(fields: [.email: "lead\(index)@example.com"])) else { return nil }
                return lead
            }
            _ = try await fixture.client.withTransaction(logger: fixture.logger) { connection in
                try await LeadWriter(logger: fixture.logger).write(
                    leads,
                    origin: LeadBatchOrigin(tenantId: tenant.id, sourceId: form.id, channel: .api),
                    on: connection
                )
            }
            var generator = HardCSVCells(seed: seed)
            var stored: [Int64: (crmId: String, error: String)] = [:]
            for deliveryId in try await fixture.integers("SELECT id FROM deliveries ORDER BY id") {
                let cells = (crmId: generator.next(), error: generator.next())
                stored[deliveryId] = cells
                try await fixture.finish(deliveryId, status: "dead", externalId: cells.crmId, httpStatus: 422, error: cells.error)
            }
            #expect(stored.count == leads.count)

            let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let written = try await ExportOutput.withFile(path) { output in
                try await LeadExport(client: fixture.client, logger: fixture.logger)
                    .write(LeadExportFilter(status: .all, since: Date().addingTimeInterval(-600), tenantId: tenant.id), format: .csv, to: output)
            }
            #expect(written == leads.count)
            let rows = try await StandardCSVReader.rows(of: try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(rows.first == LeadExportRow.csvHeader)
            #expect(rows.count == leads.count + 1, "seed \(seed): one header and one line per delivery")
            let header = LeadExportRow.csvHeader
            let deliveryColumn = try #require(header.firstIndex(of: "delivery_id"))
            let crmColumn = try #require(header.firstIndex(of: "crm_id"))
            let errorColumn = try #require(header.firstIndex(of: "last_error"))
            for row in rows.dropFirst() {
                #expect(row.count == header.count, "seed \(seed): \(row)")
                guard row.count == header.count, let deliveryId = Int64(row[deliveryColumn]), let cells = stored[deliveryId] else {
                    Issue.record("seed \(seed): row without a known delivery: \(row)")
                    continue
                }
                #expect(row[crmColumn] == HardCSVCells.neutralized(cells.crmId), "seed \(seed), delivery \(deliveryId)")
                #expect(row[errorColumn] == HardCSVCells.neutralized(cells.error), "seed \(seed), delivery \(deliveryId)")
            }
        }
    }
}
