import HummingbirdTesting
import NIOCore
import Shared

extension CSVImportTests {
    /// Uploads `csv` (`text/csv`) into a new csv source of `tenant`, as `POST /api/imports` does it.
    static func importIntoNewSource(
        _ csv: String,
        client: some TestClientProtocol,
        tenant: IngestAPITestHarness.SeededTenant,
        stores: DataStores
    ) async throws -> PatientResponse {
        let source = try await stores.makeSource(tenant, name: "CSV", kind: .csv)
        return try await upload(client, key: tenant.apiKey, source: source.name, body: ByteBuffer(string: csv))
    }
}
