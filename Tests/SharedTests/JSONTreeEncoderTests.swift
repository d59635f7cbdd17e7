import Foundation
import Shared
import Testing

/// Issue 21, item 6: `leadctl --json` printed UUIDs in upper case (`JSONEncoder` writes
/// `UUID.uuidString`), unlike the HTTP API, the dashboard and PostgreSQL.
@Suite("leadctl JSON output")
struct JSONTreeEncoderTests {
    struct Row: Encodable {
        var id: UUID
        var ids: [UUID]
        var optional: UUID?
        var missing: UUID?
        var created: Date
        var name: String
        var count: Int
        var ratio: Double
        var on: Bool
        var nested: [String: [Int]]
    }

    static let id = UUID(uuidString: "3F2A9C1E-7B4D-4E8F-9A0B-1C2D3E4F5A6B") ?? UUID()

    @Test func uuidsArePrintedInLowerCaseAndEverythingElseAsJSONEncoderDoes() throws {
        let row = Row(
            id: Self.id,
            ids: [Self.id],
            optional: Self.id,
            missing: nil,
            created: Date(timeIntervalSince1970: 1_764_000_000),
            name: "Dana \"D\" / דנה",
            count: 3,
            ratio: 0.25,
            on: true,
            nested: ["a": [1, 2]]
        )
        let text = try JSONTreeEncoder().prettyText(row)
        #expect(!text.contains("3F2A9C1E"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b")
        #expect(object["ids"] as? [String] == ["3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"])
        #expect(object["optional"] as? String == "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b")
        #expect(object["missing"] == nil)
        #expect(object["created"] as? String == "2025-11-24T16:00:00Z")
        #expect(object["name"] as? String == "Dana \"D\" / דנה")
        #expect(object["count"] as? Int == 3)
        #expect(object["ratio"] as? Double == 0.25)
        #expect(object["on"] as? Bool == true)
        #expect(text.contains("\"on\" : true"))
        #expect((object["nested"] as? [String: [Int]])?["a"] == [1, 2])
        // The old output, for comparison: upper case.
        #expect(String(decoding: try JSONEncoder().encode(row), as: UTF8.self).contains("3F2A9C1E"))
    }
}
