import CSVReader
import Shared
import Testing

/// Encodings, binary input, empty input, size limits and the failure contract.
@Suite("CSV reader: encodings and limits")
struct CSVEncodingAndLimitsTests {
    @Test("UTF-16BE with BOM")
    func utf16BigEndian() {
        let outcome = CSVTestSupport.read(CSVTestSupport.utf16("name\tcity\r\nZoë\tKöln 𝄞\r\n", bigEndian: true))
        #expect(outcome.encoding == .utf16BE)
        #expect(outcome.delimiter == UInt8(ascii: "\t"))
        #expect(outcome.rows == [["Zoë", "Köln 𝄞"]])
    }

    @Test("UTF-16LE without a BOM is recognised by its zero bytes")
    func utf16WithoutBOM() {
        let outcome = CSVTestSupport.read(CSVTestSupport.utf16("name,email\nAna,a@x.io\n", bigEndian: false, bom: false))
        #expect(outcome.encoding == .utf16LE)
        #expect(outcome.rows == [["Ana", "a@x.io"]])
    }

    @Test("an unpaired UTF-16 surrogate becomes U+FFFD and flags its record")
    func unpairedSurrogate() throws {
        var bytes = CSVTestSupport.utf16("a,b\n", bigEndian: false)
        bytes += [0x3D, 0xD8, 0x2C, 0x00, 0x78, 0x00, 0x0A, 0x00]  // high surrogate, ",x\n"
        let outcome = CSVTestSupport.read(bytes)
        #expect(outcome.rows == [["\u{FFFD}", "x"]])
        let issue = try #require(outcome.records.first?.issues.first)
        #expect(issue.kind == .encodingFallback)
        #expect(issue.message == "line 2 (record 1) contains invalid UTF-16 that was replaced by \u{FFFD}")
    }

    @Test("stray invalid UTF-8 in a UTF-8 file is read as Windows-1252 and flagged on its record")
    func strayInvalidUTF8() throws {
        let bytes = Array("name,city\nJosé,Köln\n".utf8) + [0x52, 0x65, 0x6E, 0xE9, 0x2C, 0x78, 0x0A] + Array("Ana,y\n".utf8)
        let outcome = CSVTestSupport.read(bytes)
        #expect(outcome.encoding == .utf8)
        #expect(outcome.rows == [["José", "Köln"], ["René", "x"], ["Ana", "y"]])
        #expect(outcome.records.map(\.issues.count) == [0, 1, 0])
        let issue = try #require(outcome.records[1].issues.first)
        #expect(issue.kind == .encodingFallback)
        #expect(issue.severity == .warning)
        #expect(issue.line == 3)
        #expect(issue.recordNumber == 2)
        #expect(issue.message == "line 3 (record 2) contains bytes that are not valid UTF-8; they were read as Windows-1252")
        #expect(outcome.warnings == [issue])
    }

    @Test("Windows-1252 punctuation decodes (€, curly quotes, dashes)")
    func windows1252Punctuation() {
        let bytes: [UInt8] =
            Array("note\nPrice ".utf8) + [0x80] + Array(" 5 ".utf8) + [0x93, 0x6F, 0x6B, 0x94]
            + Array(" ".utf8) + [0x96] + Array(" Gr".utf8) + [0xFC] + Array("n\n".utf8)
        let outcome = CSVTestSupport.read(bytes)
        #expect(outcome.encoding == .windows1252)
        #expect(outcome.rows == [["Price € 5 “ok” – Grün"]])
    }

    @Test(
        "binary input fails with the offset of the first bad byte",
        arguments: [
            ([0x61, 0x2C, 0x62, 0x0A, 0x00, 0x01], 4, 0x00),  // NUL
            ([0x61, 0x0A, 0x62, 0x1B, 0x63], 3, 0x1B),  // ESC in the sniff window
            ([0x61, 0x0A, 0x81, 0x62, 0x0A], 2, 0x81),  // not UTF-8, undefined in Windows-1252
            ([0x61, 0xF1, 0xE2, 0xE3, 0xE4], 1, 0xF1),  // not UTF-8, mostly high bytes
        ] as [([UInt8], Int, UInt8)]
    )
    func binaryInput(bytes: [UInt8], offset: Int, byte: UInt8) throws {
        let outcome = CSVTestSupport.read(bytes)
        let failure = try #require(outcome.failure)
        #expect(failure.kind == .binaryContent)
        let hex = String(byte, radix: 16, uppercase: true)
        #expect(failure.message == "file is not text: binary content at byte \(offset) (0x\(hex.count < 2 ? "0" + hex : hex))")
        #expect(outcome.records.isEmpty)
    }

    @Test("after the sniff window a NUL still fails the file, other control characters are kept")
    func controlsAfterWindow() throws {
        let limits = CSVLimits(sniffBytes: 8)
        let kept = CSVTestSupport.read(Array("a,b\n1,2\nx\u{1B}y,z\n".utf8), limits: limits)
        #expect(kept.failure == nil)
        #expect(kept.rows == [["1", "2"], ["x\u{1B}y", "z"]])

        let withNUL = Array("a,b\n1,2\nx".utf8) + [0] + Array(",z\n".utf8)
        var reader = CSVStreamReader(limits: limits)
        #expect(try reader.consume(withNUL[..<8]).map(\.fields) == [["1", "2"]])
        #expect(throws: CSVIssue.self) { _ = try reader.consume(withNUL[8...]) }
        let failure = CSVTestSupport.read(withNUL, chunkSize: 3, limits: limits).failure
        #expect(failure?.message == "file is not text: binary content at byte 9 (0x00)")
    }

    @Test(
        "empty input: no bytes, only a BOM, or only blank lines",
        arguments: [
            ([], "file is empty"),
            ([0xEF, 0xBB, 0xBF], "file is empty"),
            ([0xFF, 0xFE], "file is empty"),
            (Array("\r\n\n  \n".utf8), "file is empty: it contains only blank lines"),
        ] as [([UInt8], String)]
    )
    func emptyInput(bytes: [UInt8], message: String) throws {
        let failure = try #require(CSVTestSupport.read(bytes).failure)
        #expect(failure.kind == .emptyFile)
        #expect(failure.severity == .fatal)
        #expect(failure.message == message)
    }

    @Test("an oversize field is dropped with a row error; the rest of the file is fine")
    func fieldTooLarge() throws {
        let big = String(repeating: "x", count: 100)
        let text = "a,b,c\n1,\"\(big)\",3\n4,\(big),6\n7,8,9\n"
        let outcome = CSVTestSupport.read(text, chunkSize: 7, limits: CSVLimits(maxFieldBytes: 64))
        #expect(outcome.rows == [["1", "", "3"], ["4", "", "6"], ["7", "8", "9"]])
        #expect(outcome.records.map(\.hasErrors) == [true, true, false])
        let issue = try #require(outcome.records[0].issues.first)
        #expect(issue.kind == .fieldTooLarge)
        #expect(issue.severity == .rowError)
        #expect(issue.column == 2)
        #expect(issue.message == "line 2 (record 1): field 2 is larger than 64 bytes and was dropped (often a quote that is never closed)")
    }

    @Test("a record with too many fields keeps the first ones and gets one row error")
    func tooManyFields() throws {
        let outcome = CSVTestSupport.read("a,b\n1,2,3,4,5\n", limits: CSVLimits(maxFieldsPerRecord: 3))
        let record = try #require(outcome.records.first)
        #expect(record.fields == ["1", "2", "3"])
        #expect(record.issues.map(\.kind) == [.tooManyFields])
        #expect(record.issues.first?.message == "line 2 (record 1): 5 fields, more than the limit of 3; fields after 3 were dropped")
    }

    @Test("a record over the size limit keeps what fits")
    func recordTooLarge() throws {
        let outcome = CSVTestSupport.read("a,b,c\n12345,67890,abcde\n", limits: CSVLimits(maxRecordBytes: 12))
        let record = try #require(outcome.records.first)
        #expect(record.fields == ["12345", "67890", ""])
        #expect(record.issues.map(\.kind) == [.recordTooLarge])
        #expect(record.issues.first?.column == 3)
    }

    @Test("a megabyte-sized unclosed quote stays bounded and is one row error")
    func hugeUnclosedQuote() throws {
        var bytes = Array("name,email\nAna,a@x.io\n\"Ben,".utf8)
        bytes += Array(repeating: UInt8(ascii: "z"), count: 2_000_000)
        let outcome = CSVTestSupport.read(bytes, chunkSize: 65_536)
        #expect(outcome.records.count == 2)
        #expect(outcome.records[1].fields == ["", ""])
        #expect(outcome.records[1].issues.map(\.kind) == [.unterminatedQuote, .fieldTooLarge])
    }

    @Test("header problems are fatal: too long, unclosed quote, too many columns")
    func fatalHeaderProblems() {
        let long = CSVTestSupport.read(String(repeating: "h,", count: 40) + "\n1\n", limits: CSVLimits(maxRecordBytes: 32))
        #expect(long.failure?.kind == .headerTooLarge)
        let unclosed = CSVTestSupport.read("name,\"email\n1,2\n")
        #expect(unclosed.failure?.kind == .unterminatedQuote)
        #expect(unclosed.failure?.severity == .fatal)
        #expect(unclosed.failure?.line == 1)
        let wide = CSVTestSupport.read("a,b,c,d\n1\n", limits: CSVLimits(maxFieldsPerRecord: 3))
        #expect(wide.failure?.kind == .tooManyFields)
    }

    @Test("after a fatal issue every call throws it again")
    func failedReaderStaysFailed() throws {
        var reader = CSVStreamReader(limits: CSVLimits(sniffBytes: 4))
        var first: CSVIssue?
        do { _ = try reader.consume([0x61, 0x00, 0x62, 0x63]) } catch { first = error }
        let expected = try #require(first)
        #expect(expected.kind == .binaryContent)
        #expect(throws: expected) { _ = try reader.consume(Array("a,b\n".utf8)) }
        #expect(throws: expected) { _ = try reader.finish() }
    }

    @Test("warnings are bounded; every record still carries its own issues")
    func boundedWarnings() {
        let text = "a,b\n" + String(repeating: "1\n", count: 10)
        let outcome = CSVTestSupport.read(text, limits: CSVLimits(maxWarnings: 4))
        #expect(outcome.warnings.count == 4)
        #expect(outcome.omittedWarningCount == 6)
        #expect(outcome.records.allSatisfy { $0.issues.map(\.kind) == [.missingFields] })
    }
}
