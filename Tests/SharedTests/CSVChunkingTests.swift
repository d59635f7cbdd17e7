import CSVReader
import Shared
import Testing

/// Cutting the input anywhere must not change anything the reader reports.
@Suite("CSV chunking")
struct CSVChunkingTests {
    /// A small input whose every split point is tried. The default sniff window is tiny so the
    /// cuts reach the tokenizer, not only the decoder (a whole small file would otherwise be
    /// held in the window and tokenized in one piece).
    struct TrickyInput: Sendable, CustomTestStringConvertible {
        var label: String
        var bytes: [UInt8]
        var limits = CSVLimits(sniffBytes: 8)
        var testDescription: String { label }
    }

    /// CRLF in and out of quotes, `""`, spaces around quotes, 2/3/4-byte UTF-8 characters.
    static let mixedText =
        "name,note,city\r\n\"x\"\"y\",\"line1\r\nline2\",Köln\r\n"
        + "ü€𝄞, \"q\" ,  \"r\"\r\n\"\",,\r\nlast,row,end"

    static let trickyInputs: [TrickyInput] = [
        TrickyInput(label: "UTF-8", bytes: Array(mixedText.utf8)),
        TrickyInput(label: "UTF-8 with BOM", bytes: [0xEF, 0xBB, 0xBF] + Array(mixedText.utf8)),
        TrickyInput(label: "UTF-16LE", bytes: CSVTestSupport.utf16(mixedText, bigEndian: false)),
        TrickyInput(label: "UTF-16BE", bytes: CSVTestSupport.utf16(mixedText, bigEndian: true)),
        TrickyInput(label: "UTF-16LE without BOM", bytes: CSVTestSupport.utf16(mixedText, bigEndian: false, bom: false)),
        TrickyInput(label: "lone CR line ends", bytes: Array("a;b\rc;\"d\rd\"\r\re;f\r".utf8)),
        TrickyInput(label: "LF line ends, tabs", bytes: Array("a\tb\n1\t\" 2 \"\n\n3\t4".utf8)),
        TrickyInput(
            label: "stray Windows-1252 bytes after the sniff window",
            bytes: Array("name,city\nJosé,Köln\n".utf8) + [0x52, 0x65, 0x6E, 0xE9, 0x2C, 0xE2, 0x82, 0x2C, 0x0A, 0x41, 0x2C, 0xE2, 0x82],
            limits: CSVLimits(sniffBytes: 12)
        ),
        TrickyInput(
            label: "records stream before the end (small sniff window)",
            bytes: Array("id|v\n1|\"a\"\"b\"\n2|c\r\n3|\"unclosed\n4|d".utf8),
            limits: CSVLimits(sniffBytes: 4)
        ),
        TrickyInput(
            label: "limits hit across chunks",
            bytes: Array("a,b\n\"0123456789\",x\n0123456789,\"\"\"\"\"\"\"\"\"\"\"\"\n1,2,3,4,5\n".utf8),
            limits: CSVLimits(maxFieldBytes: 8, maxFieldsPerRecord: 3, maxRecordBytes: 12)
        ),
        TrickyInput(label: "text after a closing quote", bytes: Array("a,b\n\"x\" y ,\"z\"w\n".utf8)),
    ]

    @Test("fixture read in chunks equals fixture read at once", arguments: CSVTestSupport.fixtureNames, [1, 2, 3, 7, 64, 4_096])
    func fixtureChunks(name: String, chunkSize: Int) throws {
        let bytes = try CSVTestSupport.fixture(name)
        let whole = CSVTestSupport.read(bytes)
        #expect(CSVTestSupport.read(bytes, chunkSize: chunkSize) == whole)
    }

    @Test("fixture chunking with a tiny sniff window (records stream early)", arguments: CSVTestSupport.fixtureNames)
    func fixtureChunksSmallWindow(name: String) throws {
        let bytes = try CSVTestSupport.fixture(name)
        let limits = CSVLimits(sniffBytes: 64)
        let whole = CSVTestSupport.read(bytes, limits: limits)
        for chunkSize in [1, 3, 7, 64] {
            #expect(CSVTestSupport.read(bytes, chunkSize: chunkSize, limits: limits) == whole, "chunk size \(chunkSize)")
        }
    }

    @Test("every single split point gives the same result", arguments: trickyInputs)
    func everySplitPoint(input: TrickyInput) {
        let bytes = input.bytes
        let whole = CSVTestSupport.read(bytes, limits: input.limits)
        #expect(whole.failure == nil)
        for cut in 0...bytes.count {
            let outcome = CSVTestSupport.read(chunks: [bytes[..<cut], bytes[cut...]], limits: input.limits)
            #expect(outcome == whole, "cut at byte \(cut)")
        }
    }

    @Test("every pair of split points gives the same result", arguments: trickyInputs)
    func everyPairOfSplitPoints(input: TrickyInput) {
        let bytes = input.bytes
        let whole = CSVTestSupport.read(bytes, limits: input.limits)
        for first in 0...bytes.count {
            for second in first...bytes.count {
                let chunks = [bytes[..<first], bytes[first..<second], bytes[second...]]
                let outcome = CSVTestSupport.read(chunks: chunks, limits: input.limits)
                if outcome != whole {
                    Issue.record("cut at bytes \(first) and \(second)")
                    return
                }
            }
        }
    }

    @Test("the mixed text parses to the expected values in every encoding", arguments: trickyInputs.prefix(5))
    func mixedTextValues(input: TrickyInput) {
        let outcome = CSVTestSupport.read(input.bytes, chunkSize: 1)
        #expect(outcome.header == ["name", "note", "city"])
        #expect(
            outcome.rows == [
                ["x\"y", "line1\r\nline2", "Köln"],
                ["ü€𝄞", "q", "r"],
                ["", "", ""],
                ["last", "row", "end"],
            ]
        )
        #expect(outcome.records.map(\.line) == [2, 4, 5, 6])
        #expect(outcome.warnings.isEmpty)
    }

    @Test("empty chunks change nothing")
    func emptyChunks() throws {
        let bytes = try CSVTestSupport.fixture("roofing_historical_leads.csv")
        var chunks: [ArraySlice<UInt8>] = []
        for chunk in CSVTestSupport.split(bytes, chunkSize: 100) { chunks += [chunk, [], []] }
        #expect(CSVTestSupport.read(chunks: [[]] + chunks) == CSVTestSupport.read(bytes))
    }
}
