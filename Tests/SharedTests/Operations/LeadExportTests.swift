import CSVReader
import Foundation
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Lead export")
struct LeadExportTests {
    static let header =
        "lead_id,tenant,source,received_at,lead_status,stage,first_name,last_name,email,phone,phone_raw,postal_code,external_id,"
        + "delivery_id,destination,delivery_status,attempts,crm_id,last_http_status,last_error,finished_at,updated_at\r\n"

    /// Rows as text without the timestamp columns (`received_at`, `finished_at`, `updated_at`).
    static func cellsWithoutTimes(_ rows: [LeadExportRow]) -> [String] {
        rows.map { row in
            var cells = row.csvCells
            cells[21] = ""  // updated_at
            cells[20] = ""  // finished_at
            cells[3] = ""  // received_at
            return CSVCellEscaping.line(cells)
        }
    }

    @Test func exportsOneRowPerLeadAndDeliveryFilteredByStatusSinceAndTenant() async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Acme")
            let main = try await fixture.destination(tenant, "CRM main")
            let backup = try await fixture.destination(tenant, "Backup")
            let form = try await fixture.source(tenant, "Web form", destinations: [main, backup])
            let ada = try await fixture.lead(
                [.firstName: "Ada", .lastName: "Lovelace", .email: "ada@example.com", .phone: "2015550123"],
                source: form,
                tenant: tenant
            )
            try await fixture.finish(ada.deliveries[0], status: "dead", attempts: 3, httpStatus: 422, error: "HTTP 422: bad, \"really\"")
            try await fixture.finish(ada.deliveries[1], status: "succeeded", attempts: 1, externalId: "c-1", httpStatus: 200)
            let spam = try await fixture.lead([.firstName: "Spam", .email: "spam@example.com"], source: form, tenant: tenant, spam: true)
            let old = try await fixture.lead([.firstName: "Old", .email: "old@example.com"], source: form, tenant: tenant)
            try await fixture.age(leadId: old.id, by: 2 * 86_400)
            let tenantB = try await fixture.tenant("Bravo")
            let destinationB = try await fixture.destination(tenantB, "CRM B")
            let formB = try await fixture.source(tenantB, "B form", destinations: [destinationB])
            let bravo = try await fixture.lead([.firstName: "Bea", .email: "bea@example.com"], source: formB, tenant: tenantB)
            try await fixture.finish(bravo.deliveries[0], status: "succeeded", externalId: "b-1")

            let export = LeadExport(client: fixture.client, logger: fixture.logger)
            let since = Date().addingTimeInterval(-86_400)
            func rows(_ status: LeadExportFilter.Status, tenant: UUID?, since: Date = since) async throws -> [LeadExportRow] {
                var rows: [LeadExportRow] = []
                try await export.forEachBatch(LeadExportFilter(status: status, since: since, tenantId: tenant)) { rows += $0 }
                return rows
            }
            let all = try await rows(.all, tenant: tenant.id)
            // Deliveries come in id order within a lead.
            let adaRows = [
                (
                    ada.deliveries[0],
                    "\(ada.id),acme,Web form,,accepted,new,Ada,Lovelace,ada@example.com,'+12015550123,2015550123,,,\(ada.deliveries[0]),Backup,dead,3,,422,\"HTTP 422: bad, \"\"really\"\"\",,\r\n"
                ),
                (
                    ada.deliveries[1],
                    "\(ada.id),acme,Web form,,accepted,new,Ada,Lovelace,ada@example.com,'+12015550123,2015550123,,,\(ada.deliveries[1]),CRM main,succeeded,1,c-1,200,,,\r\n"
                ),
            ].sorted { $0.0 < $1.0 }.map(\.1)
            #expect(Self.cellsWithoutTimes(all) == adaRows + ["\(spam.id),acme,Web form,,spam,new,Spam,,spam@example.com,,,,,,,,,,,,,\r\n"])
            #expect(all[0].finishedAt != nil && all[0].updatedAt != nil)
            #expect(try await rows(.succeeded, tenant: tenant.id).map(\.deliveryId) == [ada.deliveries[1]])
            #expect(try await rows(.dead, tenant: tenant.id).map(\.deliveryId) == [ada.deliveries[0]])
            #expect(try await rows(.all, tenant: tenantB.id).map(\.leadId) == [bravo.id], "tenant B sees only its own lead")
            #expect(try await rows(.succeeded, tenant: nil).map(\.deliveryId) == [ada.deliveries[1], bravo.deliveries[0]])
            let older = try await rows(.all, tenant: tenant.id, since: Date().addingTimeInterval(-3 * 86_400))
            #expect(older.map(\.leadId) == [ada.id, ada.id, spam.id, old.id, old.id])
            var sourceFilter = LeadExportFilter(status: .all, since: since, sourceId: formB.id)
            sourceFilter.tenantId = nil
            var bySource: [Int64] = []
            try await export.forEachBatch(sourceFilter) { bySource += $0.map(\.leadId) }
            #expect(bySource == [bravo.id])
        }
    }

    @Test func neutralisesFormulasInCSVCells() async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Acme")
            let form = try await fixture.source(tenant, "Web form")
            let lead = try await fixture.lead(
                [
                    .firstName: "=cmd|' /C calc'!A0", .lastName: "@SUM(1+1)", .email: "x@example.com",
                    .phone: "-2+3", .postalCode: "+1",
                ],
                source: form,
                tenant: tenant
            )
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let count = try await ExportOutput.withFile(path) { output in
                try await LeadExport(client: fixture.client, logger: fixture.logger)
                    .write(LeadExportFilter(status: .all, since: Date().addingTimeInterval(-60), tenantId: tenant.id), format: .csv, to: output)
            }
            #expect(count == 1)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.components(separatedBy: "\r\n")
            #expect(lines.count == 3)
            #expect(lines[0] + "\r\n" == Self.header)
            let cells = lines[1].components(separatedBy: ",")
            #expect(cells[0] == String(lead.id))
            #expect(cells[6] == "'=cmd|' /C calc'!A0")
            #expect(cells[7] == "'@SUM(1+1)")
            #expect(cells[10] == "'-2+3")
            #expect(cells[11] == "'+1")
            #expect(lines[2] == "")
        }
    }

    @Test func streamsMoreRowsThanOneBatchInOrderWithoutRepeats() async throws {
        try await OperationsFixture.run { fixture in
            let tenant = try await fixture.tenant("Acme")
            let first = try await fixture.destination(tenant, "First")
            let second = try await fixture.destination(tenant, "Second")
            let form = try await fixture.source(tenant, "Bulk", destinations: [first, second])
            let normalizer = LeadNormalizer(defaultRegion: "US")
            var leads: [NormalizedLead] = []
            for index in 0..<2_600 {
                if case .success(let lead) = normalizer.normalize(
                    LeadInput(fields: [.email: "lead\(index)@example.com", .firstName: "Lead\(index)"])
                ) {
                    leads.append(lead)
                }
            }
            let batch = leads
            _ = try await fixture.client.withTransaction(logger: fixture.logger) { connection in
                try await LeadWriter(logger: fixture.logger).write(
                    batch,
                    origin: LeadBatchOrigin(tenantId: tenant.id, sourceId: form.id, channel: .api),
                    on: connection
                )
            }
            let filter = LeadExportFilter(status: .all, since: Date().addingTimeInterval(-600), tenantId: tenant.id)

            // The default batch of 5,000 rows: 5,200 rows take two queries.
            var sizes: [Int] = []
            var keys: [String] = []
            let total = try await LeadExport(client: fixture.client, logger: fixture.logger).forEachBatch(filter) { rows in
                sizes.append(rows.count)
                keys += rows.map { "\($0.leadId)/\($0.deliveryId ?? 0)" }
            }
            #expect(total == 5_200)
            #expect(sizes == [5_000, 200])
            #expect(Set(keys).count == 5_200, "no row twice")
            let expectedKeys = try await fixture.strings(
                "SELECT d.lead_id::text || '/' || d.id::text FROM deliveries d ORDER BY d.lead_id, d.id"
            )
            #expect(keys == expectedKeys, "every lead × delivery, in lead then delivery order")

            // A small batch: many pages, same rows, NDJSON lines.
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).ndjson").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let written = try await ExportOutput.withFile(path) { output in
                try await LeadExport(client: fixture.client, logger: fixture.logger, batchSize: 333).write(filter, format: .ndjson, to: output)
            }
            #expect(written == 5_200)
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 5_200)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let decoded = try lines.map { try decoder.decode(LeadExportRow.self, from: Data($0.utf8)) }
            #expect(decoded.map { "\($0.leadId)/\($0.deliveryId ?? 0)" } == expectedKeys)
            let firstRow = try await fixture.strings(
                """
                SELECT l.email || ' ' || dest.name FROM deliveries d JOIN leads l ON l.id = d.lead_id
                     JOIN destinations dest ON dest.id = d.destination_id ORDER BY d.lead_id, d.id LIMIT 1
                """
            )
            #expect(decoded.first.map { "\($0.email ?? "") \($0.destination ?? "")" } == firstRow.first)
            #expect(decoded.allSatisfy { $0.deliveryStatus == "queued" && $0.source == "Bulk" && $0.tenant == "acme" })
        }
    }
}
