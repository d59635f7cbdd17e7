import CSVReader
import Shared
import Testing

/// A generated 200,000-row file streamed in 64 KiB chunks.
@Suite("CSV large file")
struct CSVLargeFileTests {
    static let rowCount = 200_000
    static let firstNames = ["Ana", "Ben", "Chloé", "Dmitri", "Eve", "Farah", "Gil", "Hana", "Ivan", "Zoë"]

    /// Row `index` (0-based); every fourth row has a two-line note, so its successor starts two
    /// lines later.
    static func row(_ index: Int) -> String {
        let notes = ["", "Roof leak after storm", "\"Asked about \"\"premium\"\" plan\"", "\"Referral, line1\nline2\""]
        return "\(firstNames[index % 10]),Müller,u\(index)@example.com,+1555\(1_000_000 + index),\(10_000 + index % 90_000),\(notes[index % 4])\r\n"
    }

    @Test("200,000 rows: count, values and line numbers")
    func twoHundredThousandRows() throws {
        var text = "first_name,last_name,email,phone,zip,notes\r\n"
        text.reserveCapacity(Self.rowCount * 80)
        for index in 0..<Self.rowCount { text += Self.row(index) }
        let bytes = Array(text.utf8)

        var reader = CSVStreamReader()
        var count = 0
        var checked = 0
        func check(_ records: [CSVRecord]) {
            for record in records {
                count += 1
                let index = record.recordNumber - 1
                #expect(record.recordNumber == count)
                guard index % 9_973 == 0 || index == Self.rowCount - 1 else { continue }
                checked += 1
                #expect(record.line == 2 + index + index / 4)
                #expect(record.fields[0] == Self.firstNames[index % 10])
                #expect(record.fields[2] == "u\(index)@example.com")
                #expect(record.fields[3] == "+1555\(1_000_000 + index)")
                #expect(record.fields[5] == ["", "Roof leak after storm", "Asked about \"premium\" plan", "Referral, line1\nline2"][index % 4])
                #expect(record.issues.isEmpty)
            }
        }
        for chunk in CSVTestSupport.split(bytes, chunkSize: 65_536) { check(try reader.consume(chunk)) }
        check(try reader.finish())

        #expect(count == Self.rowCount)
        #expect(reader.recordCount == Self.rowCount)
        #expect(checked == 22)
        #expect(reader.warnings.isEmpty)
        #expect(reader.header == ["first_name", "last_name", "email", "phone", "zip", "notes"])
    }
}
