/// An incremental CSV reader for uploads of any size: push bytes in as they arrive, take complete
/// records out, memory stays flat whatever the file's size.
///
/// ```swift
/// var reader = CSVStreamReader()
/// for try await chunk in body {                       // any chunking, even 1 byte at a time
///     for record in try reader.consume(chunk.readableBytesView) { … }
/// }
/// for record in try reader.finish() { … }
/// // reader.header, reader.encoding, reader.delimiter, reader.warnings
/// ```
///
/// Contract:
/// - The results never depend on how the input was cut into chunks.
/// - Nothing comes out until the encoding is settled (the first ``CSVLimits/sniffBytes`` bytes,
///   or the whole input if shorter) and the header line is complete. After that every chunk
///   returns the records it completed; the record in progress waits for the next chunk.
/// - ``header`` is set once the header row is read; data records never include it.
/// - Row-level problems (ragged rows, oversize fields, an unclosed quote at the end, repaired
///   bytes) travel with their record in ``CSVRecord/issues`` and are also listed, up to
///   ``CSVLimits/maxWarnings``, in ``warnings``. A bad row never stops the good ones.
/// - Only file-level problems are thrown: binary content, an empty file, an unusable header.
///   After a throw every further call throws the same issue. Records returned before it stay valid.
///   When binary content is found inside a chunk, that call still returns the records completed
///   before it (as smaller chunks would have) and the next call throws.
/// - A header-only file finishes without error and ``recordCount`` is 0; the caller reports
///   "no data rows".
/// - Encodings: UTF-8 with or without BOM, UTF-16LE/BE (with BOM, or BOM-less mostly-ASCII
///   text). Input that is not UTF-8 is read as Windows-1252 when plausible, with an
///   ``CSVIssue/Kind/encodingFallback`` warning. Binary input (NUL anywhere; other control
///   characters in the first ``CSVLimits/sniffBytes``) fails with "file is not text: binary
///   content at byte N" (N is the 0-based offset, as hex viewers show it).
public struct CSVStreamReader: Sendable {
    private enum Phase: Sendable {
        case reading
        case finished
        case failed(CSVIssue)
    }

    /// The bounds this reader enforces.
    public let limits: CSVLimits
    /// The unique, trimmed column names (see ``CSVHeaderNames/makeUnique(_:line:)``), once read.
    public private(set) var header: [String]?
    /// The detected encoding, once the first bytes have been seen.
    public private(set) var encoding: CSVEncoding?
    /// The first warnings and row errors, in file order, at most ``CSVLimits/maxWarnings``.
    public private(set) var warnings: [CSVIssue] = []
    /// How many warnings and row errors did not fit in ``warnings``.
    public private(set) var omittedWarningCount = 0

    private var phase = Phase.reading
    /// Raw bytes held until the encoding is decided.
    private var window: [UInt8] = []
    private var decoder: CSVTextDecoder?
    private var sniffer = DelimiterSniffer()
    /// Decoded text held until the header line is complete, with its repair marks.
    private var headerText: [UInt8] = []
    private var headerMarks: [Int] = []
    private var tokenizer: CSVTokenizer?
    /// Scratch space for each chunk's decoded text and repair marks.
    private var decoded: [UInt8] = []
    private var marks: [Int] = []
    /// Binary content found inside a chunk whose earlier records are being returned: thrown next.
    private var deferredIssue: CSVIssue?

    /// Creates a reader that enforces `limits`.
    public init(limits: CSVLimits = .init()) {
        self.limits = limits
    }

    /// The sniffed field delimiter (`,` `;` tab or `|`), once the header line has been seen.
    public var delimiter: UInt8? { tokenizer?.delimiter }

    /// Data records returned so far.
    public var recordCount: Int { tokenizer?.recordCount ?? 0 }

    /// Feeds the next chunk of the file and returns the records it completed (possibly none).
    ///
    /// Throws only file-level problems (binary content, an unusable header); see the type's
    /// contract. Calling it after ``finish()`` is a programming error and returns nothing.
    public mutating func consume(_ bytes: some Collection<UInt8>) throws(CSVIssue) -> [CSVRecord] {
        switch phase {
        case let .failed(issue):
            throw issue
        case .finished:
            assertionFailure("CSVStreamReader.consume called after finish()")
            return []
        case .reading:
            break
        }
        var result: Result<[CSVRecord], CSVIssue> = .success([])
        let wasContiguous: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            result = Result { () throws(CSVIssue) in try self.process(buffer, isFinal: false) }
        }
        if wasContiguous == nil {
            Array(bytes).withUnsafeBufferPointer { buffer in
                result = Result { () throws(CSVIssue) in try self.process(buffer, isFinal: false) }
            }
        }
        let records = try settle(result)
        if let issue = deferredIssue {
            deferredIssue = nil
            _ = try? settle(.failure(issue))
            if records.isEmpty { throw issue }
        }
        return records
    }

    /// Signals the end of the input: returns the last record (which needs no final line break),
    /// reports a quote still open as a row error on that record, and throws `emptyFile` when no
    /// header row was found. Further calls return nothing.
    public mutating func finish() throws(CSVIssue) -> [CSVRecord] {
        switch phase {
        case let .failed(issue):
            throw issue
        case .finished:
            return []
        case .reading:
            break
        }
        let result = Result { () throws(CSVIssue) in
            try self.process(UnsafeBufferPointer(start: nil, count: 0), isFinal: true)
        }
        let records = try settle(result)
        if let issue = deferredIssue {
            deferredIssue = nil
            return try settle(.failure(issue))
        }
        phase = .finished
        return records
    }

    // MARK: - Pipeline: raw bytes → (encoding) → decoded text → (delimiter) → tokenizer

    private mutating func settle(_ result: Result<[CSVRecord], CSVIssue>) throws(CSVIssue) -> [CSVRecord] {
        switch result {
        case let .success(records):
            return records
        case let .failure(issue):
            phase = .failed(issue)
            window = []
            headerText = []
            decoded = []
            return try result.get()
        }
    }

    private mutating func process(_ raw: UnsafeBufferPointer<UInt8>, isFinal: Bool) throws(CSVIssue) -> [CSVRecord] {
        var records: [CSVRecord] = []
        if decoder == nil {
            window.append(contentsOf: raw)
            guard window.count >= limits.sniffBytes || isFinal else { return [] }
            let held = window
            window = []
            try held.withUnsafeBufferPointer { (buffer) throws(CSVIssue) in
                let sniffed = UnsafeBufferPointer(rebasing: buffer.prefix(limits.sniffBytes))
                let decision = try Self.detectEncoding(sniffed, isComplete: isFinal && buffer.count <= limits.sniffBytes)
                encoding = decision.encoding
                if let warning = decision.warning { log(warning) }
                decoder = CSVTextDecoder(encoding: decision.encoding, skipping: decision.bomLength, strictUntil: limits.sniffBytes)
                let text = UnsafeBufferPointer(rebasing: buffer[min(decision.bomLength, buffer.count)...])
                try decodeAndParse(text, isFinal: isFinal, into: &records)
            }
        } else {
            try decodeAndParse(raw, isFinal: isFinal, into: &records)
        }
        if isFinal, header == nil {
            throw .emptyFile(onlyBlankLines: (decoder?.producedCount ?? 0) > 0)
        }
        return records
    }

    private mutating func decodeAndParse(
        _ raw: UnsafeBufferPointer<UInt8>,
        isFinal: Bool,
        into records: inout [CSVRecord]
    ) throws(CSVIssue) {
        let before = decoder
        do {
            try decodeAndTokenize(raw, isFinal: isFinal, into: &records)
        } catch  where error.kind == .binaryContent {
            // Read the text before the binary byte as if the chunk had ended there, so the records
            // it completes (or an earlier problem, like an oversized header) do not depend on
            // where the chunk was cut; the binary content is thrown after them.
            guard let before, let offset = decoder?.failureOffset, offset > before.rawOffset else { throw error }
            decoder = before
            try decodeAndTokenize(UnsafeBufferPointer(rebasing: raw[..<min(raw.count, offset - before.rawOffset)]), isFinal: false, into: &records)
            deferredIssue = error
        }
    }

    private mutating func decodeAndTokenize(
        _ raw: UnsafeBufferPointer<UInt8>,
        isFinal: Bool,
        into records: inout [CSVRecord]
    ) throws(CSVIssue) {
        decoded.removeAll(keepingCapacity: true)
        marks.removeAll(keepingCapacity: true)
        guard let output = try decoder?.decode(raw, into: &decoded, marks: &marks, isFinal: isFinal) else { return }
        if output == .passthrough {
            try tokenize(raw, isFinal: isFinal, into: &records)
        } else {
            let text = decoded
            try text.withUnsafeBufferPointer { (buffer) throws(CSVIssue) in
                try tokenize(buffer, isFinal: isFinal, into: &records)
            }
        }
        if isFinal { try tokenizer?.finish(into: &records) }
        adoptHeaderIfRead()
        for record in records where !record.issues.isEmpty {
            for issue in record.issues { log(issue) }
        }
    }

    /// Holds text back until the header line is complete and the delimiter known, then streams.
    private mutating func tokenize(
        _ text: UnsafeBufferPointer<UInt8>,
        isFinal: Bool,
        into records: inout [CSVRecord]
    ) throws(CSVIssue) {
        if tokenizer != nil {
            try tokenizer?.parse(text, marks: marks, into: &records)
            return
        }
        headerText.append(contentsOf: text)
        headerMarks.append(contentsOf: marks)
        let complete = sniffer.scan(headerText)
        if complete ? sniffer.headerLength > limits.maxRecordBytes : headerText.count > limits.maxRecordBytes {
            throw .headerTooLarge(limit: limits.maxRecordBytes)
        }
        guard complete || isFinal else { return }
        tokenizer = CSVTokenizer(delimiter: sniffer.delimiter, limits: limits, encoding: encoding ?? .utf8)
        let held = headerText
        let heldMarks = headerMarks
        headerText = []
        headerMarks = []
        try held.withUnsafeBufferPointer { (buffer) throws(CSVIssue) in
            try tokenizer?.parse(buffer, marks: heldMarks, into: &records)
        }
    }

    private mutating func adoptHeaderIfRead() {
        guard header == nil, let tokenizer, let raw = tokenizer.header else { return }
        let unique = CSVHeaderNames.makeUnique(raw, line: tokenizer.headerLine)
        header = unique.names
        for issue in tokenizer.headerIssues + unique.issues { log(issue) }
    }

    private mutating func log(_ issue: CSVIssue) {
        if warnings.count < limits.maxWarnings {
            warnings.append(issue)
        } else {
            omittedWarningCount += 1
        }
    }
}
