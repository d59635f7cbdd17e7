import CSVReader
import Foundation
import Shared
import Testing

extension FuzzSuites {
    /// Property tests of ``CSVStreamReader``: random bytes and generated CSV, cut into random
    /// chunks, never crash, never hang, and give exactly what reading the whole input at once gives;
    /// generated CSV reads back as the table it was made from.
    @Suite("Fuzz: CSV stream reader")
    struct CSVFuzzTests {
        // MARK: - Random bytes

        /// Bytes a CSV parser cares about, plus a few bytes of every UTF-8 class and binary bytes.
        static let csvBytes: [UInt8] =
            Array("\",;|\t\r\n  \"\"ab1@.p:".utf8) + [
                0x00, 0x01, 0x0B, 0x7F, 0x80, 0x9F, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xED, 0xA0, 0xF0, 0x9D, 0x84, 0x9E, 0xFE, 0xFF,
            ]

        @Test("random bytes: no crash, chunking never changes the outcome, limits hold")
        func randomBytes() async {
            await Fuzz.run("csv.randomBytes", seed: 0xC5F0_0001, cases: 3_000) { generator in
                var bytes: [UInt8] = []
                switch generator.below(6) {
                case 0: bytes = generator.bytes(generator.length(max: 600))
                case 1: bytes = [0xEF, 0xBB, 0xBF]
                case 2: bytes = generator.chance(1, in: 2) ? [0xFF, 0xFE] : [0xFE, 0xFF]
                default: break
                }
                for _ in 0..<generator.length(max: 600) {
                    bytes.append(generator.chance(1, in: 12) ? UInt8(truncatingIfNeeded: generator.next()) : generator.pick(Self.csvBytes))
                }
                if generator.chance(1, in: 6) {
                    bytes = CSVTestSupport.utf16(
                        String(decoding: bytes, as: UTF8.self),
                        bigEndian: generator.chance(1, in: 2),
                        bom: generator.chance(1, in: 2)
                    )
                }
                let limits = Self.randomLimits(&generator)
                return Self.checkChunkingInvariance(bytes, limits: limits, &generator)
            }
        }

        @Test("mutated fixture files: no crash, chunking never changes the outcome")
        func mutatedFixtures() async throws {
            let fixtures = try CSVTestSupport.fixtureNames.map { try CSVTestSupport.fixture($0) }.map { Array($0.prefix(3_000)) }
            await Fuzz.run("csv.mutatedFixtures", seed: 0xC5F0_0002, cases: 1_500) { generator in
                let bytes = ByteMutator.mutate(generator.pick(fixtures), &generator)
                return Self.checkChunkingInvariance(bytes, limits: Self.randomLimits(&generator), &generator)
            }
        }

        // MARK: - Generated CSV with a known table

        @Test("generated CSV (quotes, CRLF/CR/LF, embedded line breaks, BOM, UTF-16, Windows-1252) reads back exactly, in any chunking")
        func generatedTables() async {
            await Fuzz.run("csv.generatedTables", seed: 0xC5F0_0003, cases: 500) { generator in
                let table = GeneratedCSV.make(&generator)
                let limits = CSVLimits(sniffBytes: generator.pick([4, 7, 16, 64, 16_384]))
                let whole = CSVTestSupport.read(table.bytes, limits: limits)
                if let problem = Self.checkChunkingInvariance(table.bytes, limits: limits, &generator, whole: whole) { return problem }
                // Latin-1 bytes that happen to form valid UTF-8 in the sniff window, or too many of them
                // there, make the file UTF-8 or binary (documented); only chunking invariance applies then.
                if table.encoding == .windows1252, whole.encoding != .windows1252 || whole.failure != nil { return nil }
                if let failure = whole.failure { return "\(table.encoding) input failed: \(failure.message)" }
                if whole.encoding != table.encoding { return "encoding \(String(describing: whole.encoding)), expected \(table.encoding)" }
                if whole.delimiter != table.delimiter { return "delimiter \(String(describing: whole.delimiter)), expected \(table.delimiter)" }
                if whole.header != table.header { return "header \(String(describing: whole.header)), expected \(table.header)" }
                if whole.rows != table.rows {
                    let index =
                        zip(whole.rows, table.rows).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                        ?? min(whole.rows.count, table.rows.count)
                    return "rows differ at \(index): got \(whole.rows.count) rows \(whole.rows.dropFirst(index).first.map { "\($0)" } ?? "-"), "
                        + "expected \(table.rows.count) rows \(table.rows.dropFirst(index).first.map { "\($0)" } ?? "-")"
                }
                if whole.records.map(\.line) != table.lines { return "lines \(whole.records.map(\.line)), expected \(table.lines)" }
                let expectedWarnings = table.encoding == .windows1252 ? 1 : 0
                if whole.warnings.count != expectedWarnings || whole.records.contains(where: { !$0.issues.isEmpty }) {
                    return "unexpected warnings: \(whole.warnings.map(\.message))"
                }
                return nil
            }
        }

        // MARK: - Regressions found by fuzzing

        @Test("binary content inside a chunk: the records before it come out, then the error, whatever the chunking")
        func binaryInsideAChunk() {
            let bytes = Array("a,b\n1,2\n3,4\nx".utf8) + [0x00] + Array(",y\n".utf8)
            let limits = CSVLimits(sniffBytes: 4)
            let whole = CSVTestSupport.read(bytes, limits: limits)
            #expect(whole.rows == [["1", "2"], ["3", "4"]])
            #expect(whole.failure?.message == "file is not text: binary content at byte 13 (0x00)")
            for chunkSize in [1, 2, 5, 9] {
                #expect(CSVTestSupport.read(bytes, chunkSize: chunkSize, limits: limits) == whole, "chunk size \(chunkSize)")
            }
            // Found by libFuzzer: a header over the limit is reported before binary content later in the
            // same chunk, as it is when the bytes arrive one by one.
            let longHeader = Array(String(repeating: "h", count: 50).utf8) + [0x00]
            let small = CSVLimits(maxRecordBytes: 40, sniffBytes: 4)
            #expect(CSVTestSupport.read(longHeader, limits: small).failure?.kind == .headerTooLarge)
            #expect(CSVTestSupport.read(longHeader, chunkSize: 1, limits: small).failure?.kind == .headerTooLarge)
        }

        @Test("an oversized field cut by a chunk boundary still counts in full towards the record size")
        func oversizedFieldAcrossChunks() {
            let bytes = Array("a,b\n123456,789\n".utf8)
            let limits = CSVLimits(maxFieldBytes: 4, maxRecordBytes: 8, sniffBytes: 4)
            let whole = CSVTestSupport.read(bytes, limits: limits)
            #expect(whole.rows == [["", ""]])
            #expect(whole.records.first?.issues.map(\.kind) == [.fieldTooLarge, .recordTooLarge])
            for cut in 0...bytes.count {
                #expect(CSVTestSupport.read(chunks: [bytes[..<cut], bytes[cut...]], limits: limits) == whole, "cut at \(cut)")
            }
        }

        // MARK: - Pathological inputs: memory stays bounded

        struct Pathology: Sendable, CustomTestStringConvertible {
            var label: String
            /// The bytes before the endless part.
            var prefix: String
            /// Repeated until the input is `totalBytes` long.
            var unit: String
            var totalBytes = 50 * 1024 * 1024
            var testDescription: String { label }
        }

        static let pathologies: [Pathology] = [
            Pathology(label: "50 MB unterminated quoted field", prefix: "email,note\na@example.com,\"", unit: "x"),
            Pathology(
                label: "20 MB quoted field of escaped quotes",
                prefix: "email,note\na@example.com,\"",
                unit: "\"\"",
                totalBytes: 20 * 1024 * 1024
            ),
            Pathology(label: "20 MB unquoted field", prefix: "email,note\na@example.com,", unit: "y", totalBytes: 20 * 1024 * 1024),
            // 5 MB: a field per byte costs about 0.6 µs in a debug build.
            Pathology(label: "5 MB of delimiters on one line", prefix: "email,note\n", unit: ",", totalBytes: 5 * 1024 * 1024),
            Pathology(label: "50 MB header line", prefix: "", unit: "h"),
            Pathology(label: "50 MB quoted header", prefix: "\"", unit: "h"),
            Pathology(label: "50 MB of blank lines", prefix: "", unit: "\r\n"),
        ]

        @Test("a pathological input of up to 50 MB is read with bounded memory and ends in the documented limit issue", arguments: pathologies)
        func pathological(_ pathology: Pathology) async throws {
            let limits = CSVLimits()
            var reader = CSVStreamReader(limits: limits)
            let chunkSize = 64 * 1024
            var chunk = Array(pathology.prefix.utf8)
            let unit = Array(pathology.unit.utf8)
            while chunk.count < chunkSize { chunk += unit }
            var first = true
            var fed = 0
            var records: [CSVRecord] = []
            var failure: CSVIssue?
            var maxRetained = 0
            var chunks = 0
            let started = ContinuousClock.now
            let repeatedChunk: [UInt8] = Array(repeating: unit, count: chunkSize / unit.count).flatMap { $0 }
            do throws(CSVIssue) {
                while fed < pathology.totalBytes {
                    let piece = first ? chunk : repeatedChunk
                    first = false
                    records += try reader.consume(piece)
                    fed += piece.count
                    maxRetained = max(maxRetained, ReaderFootprint.bytes(of: reader))
                    chunks += 1
                    if chunks % 16 == 0 { await Task.yield() }  // leave the cooperative pool to other suites now and then
                }
                records += try reader.finish()
            } catch {
                failure = error
            }
            let elapsed = ContinuousClock.now - started
            print("pathological \(pathology.label): \(fed) bytes fed, max retained \(maxRetained) bytes, \(elapsed)")
            // The reader keeps at most one record within its limits plus one chunk of scratch space.
            #expect(maxRetained <= limits.maxRecordBytes + limits.maxFieldBytes + 2 * chunkSize, "retained \(maxRetained) bytes")
            #expect(elapsed < .seconds(120), "never hangs (a generous bound: the machine is shared)")
            switch pathology.label {
            case "50 MB unterminated quoted field":
                #expect(failure == nil)
                let record = try #require(records.first)
                #expect(records.count == 1)
                #expect(record.fields == ["a@example.com", ""])
                #expect(record.issues.map(\.kind) == [.unterminatedQuote, .fieldTooLarge])
                #expect(
                    record.issues.map(\.message) == [
                        "line 2 (record 1): the quote that opens field 2 is never closed, so everything up to the end of the file was read into this field; add the missing closing quote",
                        "line 2 (record 1): field 2 is larger than 64 KB and was dropped (often a quote that is never closed)",
                    ]
                )
            case "20 MB quoted field of escaped quotes":
                #expect(records.count == 1)
                #expect(records.first?.issues.map(\.kind) == [.unterminatedQuote, .fieldTooLarge])
            case "20 MB unquoted field":
                #expect(records.count == 1)
                #expect(records.first?.fields == ["a@example.com", ""])
                #expect(records.first?.issues.map(\.kind) == [.fieldTooLarge])
            case "5 MB of delimiters on one line":
                #expect(records.count == 1)
                #expect(records.first?.fields.count == limits.maxFieldsPerRecord)
                #expect(records.first?.issues.map(\.kind) == [.tooManyFields])
            default:
                #expect(records.isEmpty)
                #expect(failure?.message == "the header row is longer than 1 MB; this does not look like a CSV file")
                #expect(fed <= limits.maxRecordBytes + 2 * chunkSize, "the header limit stops reading early")
            }
        }

        // MARK: - Oracles

        static func randomLimits(_ generator: inout SplitMix64) -> CSVLimits {
            generator.chance(1, in: 3)
                ? CSVLimits(sniffBytes: generator.pick([4, 5, 8, 64, 16_384]))
                : CSVLimits(
                    maxFieldBytes: generator.within(1...40),
                    maxFieldsPerRecord: generator.within(1...6),
                    maxRecordBytes: generator.within(1...80),
                    maxWarnings: generator.within(0...5),
                    sniffBytes: generator.within(4...40)
                )
        }

        /// Reads `bytes` whole and in two random chunkings; the outcomes must be identical and obey
        /// the documented invariants. Returns a problem description or nil.
        static func checkChunkingInvariance(
            _ bytes: [UInt8],
            limits: CSVLimits,
            _ generator: inout SplitMix64,
            whole given: CSVParseOutcome? = nil
        ) -> String? {
            let whole = given ?? CSVTestSupport.read(bytes, limits: limits)
            for attempt in 0..<2 {
                let chunks = bytes.randomChunks(&generator)
                let chunked = CSVTestSupport.read(chunks: chunks, limits: limits)
                if chunked != whole {
                    return "chunking \(chunks.map(\.count)) (attempt \(attempt)) of \(bytes.count) bytes \(Self.hex(bytes)) differs: "
                        + "whole \(Self.summary(whole)) vs chunked \(Self.summary(chunked))"
                }
            }
            return invariantProblem(whole, limits: limits)
        }

        static func invariantProblem(_ outcome: CSVParseOutcome, limits: CSVLimits) -> String? {
            if outcome.failure == nil, outcome.header == nil { return "finished without a header and without an error" }
            if outcome.warnings.count > limits.maxWarnings { return "\(outcome.warnings.count) warnings over the limit \(limits.maxWarnings)" }
            for (offset, record) in outcome.records.enumerated() {
                if record.recordNumber != offset + 1 { return "record numbers not sequential at \(offset)" }
                if let header = outcome.header, record.fields.count < header.count { return "record \(offset + 1) narrower than the header" }
                if record.fields.count > max(outcome.header?.count ?? 0, limits.maxFieldsPerRecord) {
                    return "record \(offset + 1) has too many fields"
                }
                if record.fields.contains(where: { $0.utf8.count > limits.maxFieldBytes }) {
                    return "record \(offset + 1) holds a field over the limit"
                }
                if offset > 0, record.line < outcome.records[offset - 1].line { return "line numbers go backwards at record \(offset + 1)" }
            }
            return nil
        }

        static func summary(_ outcome: CSVParseOutcome) -> String {
            "header \(String(describing: outcome.header)), \(outcome.rows.count) rows \(outcome.rows.prefix(3)), failure \(outcome.failure?.message ?? "none"), "
                + "warnings \(outcome.warnings.map(\.message).prefix(3))"
        }

        static func hex(_ bytes: [UInt8]) -> String {
            bytes.count > 200 ? "(long)" : bytes.map { String(format: "%02x", $0) }.joined()
        }
    }
}

/// How many bytes a reader holds on to, found by walking its stored properties (private ones
/// included) with `Mirror`: byte arrays, offset arrays and strings.
enum ReaderFootprint {
    static func bytes(of value: Any) -> Int {
        switch value {
        case let bytes as [UInt8]: return bytes.count
        case let offsets as [Int]: return offsets.count * MemoryLayout<Int>.size
        case let text as String: return text.utf8.count
        case let texts as [String]: return texts.reduce(0) { $0 + $1.utf8.count }
        default: return Mirror(reflecting: value).children.reduce(0) { $0 + bytes(of: $1.value) }
        }
    }
}

/// A random table written as CSV text in one of the reader's encodings, with the values, header
/// and line numbers the reader must report.
struct GeneratedCSV {
    var bytes: [UInt8]
    var encoding: CSVEncoding
    var delimiter: UInt8
    var header: [String]
    var rows: [[String]]
    var lines: [Int]

    /// Pieces values are made of: every character class the tokenizer treats specially.
    static let pieces = ["a", "B", "7", " ", "\t", ",", ";", "|", "\"", "\"\"", "\r", "\n", "\r\n", "'", "=", "@", "é", "ü", "Ä", "€", "ß"]
    static let wideOnly = ["Köln", "Ω", "€", "𝄞", "😀", "中文", "\u{FEFF}", "\u{A0}"]
    /// Characters Windows-1252 can encode, with their byte.
    static let windows1252: [Character: UInt8] = ["é": 0xE9, "ü": 0xFC, "Ä": 0xC4, "€": 0x80, "ß": 0xDF]

    static func make(_ generator: inout SplitMix64) -> GeneratedCSV {
        let encoding = generator.pick(CSVEncoding.allCases)
        let delimiter = generator.pick(CSVStreamReader.candidateDelimiters)
        let columns = generator.within(2...6)
        let header = (0..<columns).map { "c\($0)_\(generator.below(1_000))" }
        let rows: [[String]] = (0..<generator.length(max: 40)).map { _ in
            (0..<columns).map { _ in value(&generator, wide: encoding != .windows1252) }
        }
        var text = ""
        var lines: [Int] = []
        var line = 1
        func append(_ piece: String) {
            text += piece
        }
        let delimiterText = String(UnicodeScalar(delimiter))
        append(header.map { generator.chance(1, in: 4) ? "\"\($0)\"" : $0 }.joined(separator: delimiterText))
        for (index, row) in rows.enumerated() {
            append(generator.pick(["\n", "\r\n", "\r"]))
            while generator.chance(1, in: 6) { append(generator.pick(["\n", "\r\n"])) }
            line = 1 + lineBreaks(in: text)
            lines.append(line)
            let cells = row.map { encodeCell($0, delimiter: delimiterText, &generator) }
            append(cells.joined(separator: delimiterText))
            if index == rows.count - 1, generator.chance(1, in: 2) { append(generator.pick(["\n", "\r\n", "\r"])) }
        }
        return GeneratedCSV(bytes: encode(text, encoding), encoding: encoding, delimiter: delimiter, header: header, rows: rows, lines: lines)
    }

    static func value(_ generator: inout SplitMix64, wide: Bool) -> String {
        var value = ""
        for _ in 0..<generator.length(max: 24) {
            value += wide && generator.chance(1, in: 8) ? generator.pick(wideOnly) : generator.pick(pieces)
        }
        return value
    }

    /// Quotes a value when it must be quoted (or at random), sometimes with spaces around the
    /// quotes, which the reader drops.
    static func encodeCell(_ value: String, delimiter: String, _ generator: inout SplitMix64) -> String {
        let mustQuote =
            value.contains(delimiter) || value.contains("\"") || value.contains("\r") || value.contains("\n")
            || value.hasPrefix(" ") || value.hasPrefix("\t")
        guard mustQuote || generator.chance(1, in: 5) else { return value }
        let quoted = "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        guard delimiter != " ", generator.chance(1, in: 4) else { return quoted }
        return String(repeating: " ", count: generator.within(1...2)) + quoted + String(repeating: " ", count: generator.below(3))
    }

    /// Physical line breaks as the reader counts them: CRLF, a lone CR and a lone LF are one each.
    static func lineBreaks(in text: String) -> Int {
        var count = 0
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                count += 1
                previousCR = true
            } else {
                if scalar == "\n", !previousCR { count += 1 }
                previousCR = false
            }
        }
        return count
    }

    static func encode(_ text: String, _ encoding: CSVEncoding) -> [UInt8] {
        switch encoding {
        case .utf8: Array(text.utf8)
        case .utf8WithBOM: [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case .utf16LE: CSVTestSupport.utf16(text, bigEndian: false)
        case .utf16BE: CSVTestSupport.utf16(text, bigEndian: true)
        case .windows1252: text.unicodeScalars.map { windows1252[Character($0)] ?? ($0.isASCII ? UInt8($0.value) : 0x3F) }
        }
    }
}
