import CSVReader
import Shared
import Testing

/// Quoting, line endings, delimiters, headers and blank lines.
@Suite("CSV reader: syntax")
struct CSVStreamReaderTests {
    private func read(_ text: String, limits: CSVLimits = .init()) -> CSVParseOutcome {
        CSVTestSupport.read(text, limits: limits)
    }

    @Test("RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes")
    func quoting() {
        let outcome = read("a,b,c\n\"x, y\",\"He said \"\"hi\"\"\",\"two\nlines\"\nnext,row,here\n")
        #expect(outcome.rows == [["x, y", "He said \"hi\"", "two\nlines"], ["next", "row", "here"]])
        #expect(outcome.records.map(\.line) == [2, 4])
        #expect(outcome.warnings.isEmpty)
    }

    @Test("spaces around a quoted field are dropped; an unquoted field keeps its spaces")
    func spacesAroundQuotes() {
        let outcome = read("a,b,c\n  \"x\"  ,  y  ,\"\"\n")
        #expect(outcome.rows == [["x", "  y  ", ""]])
        #expect(outcome.warnings.isEmpty)
    }

    @Test("a quote inside an unquoted field is an ordinary character")
    func quoteInsideUnquotedField() {
        let outcome = read("height,formula\n5'10\",=A1&\"x\"\n")
        #expect(outcome.rows == [["5'10\"", "=A1&\"x\""]])
        #expect(outcome.warnings.isEmpty)
    }

    @Test("text after a closing quote is kept and flagged")
    func textAfterClosingQuote() throws {
        let outcome = read("a,b\n\"x\" y ,\"z\"w\n")
        #expect(outcome.rows == [["x y ", "zw"]])
        let issue = try #require(outcome.records.first?.issues.first)
        #expect(outcome.records.first?.issues.count == 1)
        #expect(issue.kind == .textAfterQuote)
        #expect(issue.severity == .warning)
        #expect(issue.column == 1)
        #expect(issue.line == 2)
    }

    @Test("LF, CRLF and lone CR line endings", arguments: ["\n", "\r\n", "\r"])
    func lineEndings(ending: String) {
        let text = ["h1,h2", "a,b", "\"multi\(ending)line\",c", "d,e"].joined(separator: ending) + ending
        let outcome = read(text)
        #expect(outcome.header == ["h1", "h2"])
        #expect(outcome.rows == [["a", "b"], ["multi\(ending)line", "c"], ["d", "e"]])
        #expect(outcome.records.map(\.line) == [2, 3, 5])
    }

    @Test("mixed line endings count physical lines")
    func mixedLineEndings() {
        let outcome = read("h\r\n1\n2\r3\r\n\"a\r\nb\nc\rd\"\n5")
        #expect(outcome.rows == [["1"], ["2"], ["3"], ["a\r\nb\nc\rd"], ["5"]])
        #expect(outcome.records.map(\.line) == [2, 3, 4, 5, 9])
    }

    @Test("blank and space-only lines are skipped and not counted as records")
    func blankLines() {
        let outcome = read("\n\r\nname,email\n\n  \nAna,a@x.io\r\n\r\n\t\nBen,b@x.io\n\n")
        #expect(outcome.header == ["name", "email"])
        #expect(outcome.rows == [["Ana", "a@x.io"], ["Ben", "b@x.io"]])
        #expect(outcome.records.map(\.recordNumber) == [1, 2])
        #expect(outcome.records.map(\.line) == [6, 9])
        #expect(outcome.warnings.isEmpty)
    }

    @Test("a row of empty fields is a (blank) record; a quoted empty line is one too")
    func delimiterOnlyRows() {
        let outcome = read("a,b\n,\n\"\"\n")
        #expect(outcome.rows == [["", ""], ["", ""]])
        #expect(outcome.records.allSatisfy { $0.isBlank })
        #expect(outcome.records[1].issues.map(\.kind) == [.missingFields])
    }

    @Test("the last record needs no line break; a trailing delimiter is an empty extra field")
    func lastRecordAndTrailingDelimiter() {
        let outcome = read("a,b\n1,2\n3,4,")
        #expect(outcome.rows == [["1", "2"], ["3", "4", ""]])
        #expect(outcome.records[1].issues.map(\.kind) == [.extraFields])
    }

    @Test("a header without a line break and no rows")
    func headerWithoutLineBreak() {
        let outcome = read("first_name,email")
        #expect(outcome.failure == nil)
        #expect(outcome.header == ["first_name", "email"])
        #expect(outcome.records.isEmpty)
    }

    @Test(
        "delimiter sniffed from the header, outside quotes; ties and none go to comma",
        arguments: [
            ("a;b;c,d\n", ";"), ("a,b;c\n", ","), ("a|b|c\n", "|"), ("a\tb\tc\n", "\t"),
            ("\"x;y;z\",b\n", ","), ("email\n", ","), ("a;b\t c\td\n", "\t"), ("\n\na|b\n", "|"),
        ] as [(String, String)]
    )
    func delimiterSniffing(header: String, expected: String) {
        let outcome = read(header)
        #expect(outcome.delimiter == expected.utf8.first)
    }

    @Test("blank and duplicate header names are made unique, with warnings")
    func headerNames() {
        let outcome = read("email,,Email, name ,email_2\n1,2,3,4,5\n")
        #expect(outcome.header == ["email", "column_2", "Email_2", "name", "email_2_2"])
        #expect(outcome.warnings.map(\.kind) == [.blankHeader, .duplicateHeader, .duplicateHeader])
        #expect(outcome.warnings.map(\.column) == [2, 3, 5])
        #expect(outcome.warnings.allSatisfy { $0.line == 1 && $0.recordNumber == nil && $0.severity == .warning })
        #expect(
            outcome.warnings[1].message
                == "line 1 (header): column 3 has the same name as column 1 (\"Email\"); it was renamed to \"Email_2\""
        )
        #expect(outcome.rows == [["1", "2", "3", "4", "5"]])
    }

    @Test("any Collection<UInt8> can be fed, contiguous or not")
    func nonContiguousInput() throws {
        var reader = CSVStreamReader()
        let bytes = Array("a,b\n1,2\n".utf8)
        var records = try reader.consume(bytes.lazy.map { $0 })
        records += try reader.finish()
        #expect(records.map(\.fields) == [["1", "2"]])
    }

    @Test("finish twice returns nothing more")
    func finishTwice() throws {
        var reader = CSVStreamReader()
        _ = try reader.consume(Array("a\n1\n".utf8))
        #expect(try reader.finish().count == 1)
        #expect(try reader.finish().isEmpty)
        #expect(reader.recordCount == 1)
    }
}
