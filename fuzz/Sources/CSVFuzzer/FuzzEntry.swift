import CSVReader

/// libFuzzer entry point for ``CSVStreamReader``: the input is read whole and again cut at
/// chunk boundaries taken from its own first bytes; any difference in what the reader reports
/// (records, header, encoding, delimiter, warnings, the fatal issue) is a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The first byte picks small limits so that every limit is reachable with short inputs.
    let small = bytes.first.map { $0 & 1 == 1 } ?? false
    let limits =
        small
        ? CSVLimits(maxFieldBytes: 16, maxFieldsPerRecord: 4, maxRecordBytes: 40, maxWarnings: 3, sniffBytes: 6)
        : CSVLimits(sniffBytes: 8)
    let whole = read([bytes[...]], limits: limits)
    var cuts: [Int] = []
    var position = 0
    for byte in bytes.prefix(8) {
        position += Int(byte % 17)
        if position < bytes.count { cuts.append(position) }
    }
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    for cut in cuts + [bytes.count] where cut >= start {
        chunks.append(bytes[start..<cut])
        start = cut
    }
    let chunked = read(chunks, limits: limits)
    if chunked != whole {
        fatalError("chunking \(chunks.map(\.count)) changed the result:\n whole   \(whole)\n chunked \(chunked)")
    }
    let single = read(bytes.map { [$0][...] }, limits: limits)
    if single != whole {
        fatalError("byte-by-byte reading changed the result:\n whole  \(whole)\n single \(single)")
    }
    return 0
}

/// Everything a reader reports, comparable.
struct Outcome: Equatable {
    var records: [CSVRecord] = []
    var header: [String]?
    var encoding: CSVEncoding?
    var delimiter: UInt8?
    var warnings: [CSVIssue] = []
    var omitted = 0
    var failure: CSVIssue?
}

/// Reads `chunks` in order with a fresh reader and collects everything it reports.
func read(_ chunks: [ArraySlice<UInt8>], limits: CSVLimits) -> Outcome {
    var reader = CSVStreamReader(limits: limits)
    var outcome = Outcome()
    do throws(CSVIssue) {
        for chunk in chunks { outcome.records += try reader.consume(chunk) }
        outcome.records += try reader.finish()
    } catch {
        outcome.failure = error
    }
    outcome.header = reader.header
    outcome.encoding = reader.encoding
    outcome.delimiter = reader.delimiter
    outcome.warnings = reader.warnings
    outcome.omitted = reader.omittedWarningCount
    return outcome
}
