/// The RFC 4180 state machine over decoded UTF-8 text; it can stop and resume at any byte.
///
/// Fields wholly inside one chunk become Strings straight from the chunk's bytes; only a field
/// cut by a chunk boundary (or containing `""`) is assembled in `field`, which never grows past
/// ``CSVLimits/maxFieldBytes``. Quotes only open a quoted field at its start (after optional
/// spaces); elsewhere they are ordinary characters, as in `=HYPERLINK("…")` or `5'10"`.
struct CSVTokenizer: Sendable {
    private enum State: UInt8 {
        /// Before the first byte of a record (also skips blank lines).
        case recordStart
        /// After a CR that ended a line: an LF here belongs to it.
        case afterCR
        /// At the first byte of a field.
        case fieldStart
        /// Spaces at a field's start: dropped if a quote follows, kept otherwise.
        case leadingSpace
        /// Inside an unquoted field.
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// Just after a quote inside a quoted field: `""`, the field's end, or stray text.
        case quoteInQuoted
        /// Spaces after a closing quote, dropped before a delimiter or line end.
        case afterQuoted
    }

    /// Row problems collected while a record is read; turned into issues when it ends.
    private enum Problem: Equatable {
        case unterminatedQuote(column: Int, quoteLine: Int)
        case fieldTooLarge(column: Int)
        case tooManyFields
        case recordTooLarge(column: Int)
        case textAfterQuote(column: Int)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    /// The field separator.
    let delimiter: UInt8
    /// Size bounds.
    let limits: CSVLimits
    /// The input's encoding, for the wording of repair warnings.
    let encoding: CSVEncoding

    /// The header cells as read (not yet made unique), once the first record is complete.
    private(set) var header: [String]?
    /// Line of the header row.
    private(set) var headerLine = 1
    /// Warnings about the header row itself.
    private(set) var headerIssues: [CSVIssue] = []
    /// Data records emitted so far.
    private(set) var recordCount = 0

    private var state = State.recordStart
    /// Bytes of the current field that could not stay in the chunk (cut by a boundary or by `""`).
    private var field: [UInt8] = []
    /// The current field outgrew the limit; its bytes are being skipped.
    private var fieldOverflow = false
    /// How many bytes of the current field were skipped after it outgrew the limit: they still
    /// count towards the record's size, as they do when the whole field is in one chunk.
    private var overflowBytes = 0
    /// In `afterQuoted`: how long `field` (and `overflowBytes`) were before the trailing spaces.
    private var valueEndInField = 0
    private var valueEndInOverflow = 0
    private var fields: [String] = []
    /// Fields seen in the current record, including dropped ones.
    private var fieldCount = 0
    private var recordBytes = 0
    private var recordHadQuote = false
    private var problems: [Problem] = []
    private var quoteLine = 0
    /// The physical line at the scan position.
    private var line = 1
    private var recordLine = 1
    /// The previous chunk ended with a CR (so an LF starting this one completes a CRLF).
    private var carriedCR = false
    /// Decoded bytes handled by earlier calls: offset of the current chunk's first byte.
    private var consumed = 0
    /// Decoded offsets of repaired bytes not yet assigned to a record (see ``CSVTextDecoder``).
    private var fallbackMarks: [Int] = []
    private var markHead = 0
    private var expectedCount = 0

    /// Creates a tokenizer for text separated by `delimiter`.
    init(delimiter: UInt8, limits: CSVLimits, encoding: CSVEncoding) {
        self.delimiter = delimiter
        self.limits = limits
        self.encoding = encoding
    }

    // MARK: - Scanning

    /// Reads the next chunk of decoded text, appending every record it completes.
    /// `marks` are the decoder's repair offsets for this chunk.
    mutating func parse(
        _ text: UnsafeBufferPointer<UInt8>,
        marks: [Int],
        into records: inout [CSVRecord]
    ) throws(CSVIssue) {
        if !marks.isEmpty { fallbackMarks.append(contentsOf: marks) }
        let count = text.count
        guard count > 0 else { return }
        let delimiter = self.delimiter
        let quote = Self.quote
        let lineFeed = Self.lineFeed
        let carriageReturn = Self.carriageReturn
        let tabIsSpace = delimiter != Self.tab
        var index = 0
        var segmentStart = 0  // where the current field's not-yet-copied bytes start in `text`

        @inline(__always) func isSpace(_ byte: UInt8) -> Bool {
            byte == Self.space || (byte == Self.tab && tabIsSpace)
        }

        while index < count {
            switch state {
            case .recordStart:
                let byte = text[index]
                if byte == lineFeed {
                    line += 1
                    index += 1
                } else if byte == carriageReturn {
                    line += 1
                    state = .afterCR
                    index += 1
                } else {
                    recordLine = line
                    state = .fieldStart
                }

            case .afterCR:
                if text[index] == lineFeed { index += 1 }
                state = .recordStart

            case .fieldStart:
                let byte = text[index]
                if byte == quote {
                    openQuote()
                    index += 1
                    segmentStart = index
                } else if byte == delimiter || byte == lineFeed || byte == carriageReturn {
                    endField(text, from: index, to: index)
                    index = try endFieldTerminator(byte, at: index, into: &records)
                } else {
                    segmentStart = index
                    state = isSpace(byte) ? .leadingSpace : .unquoted
                    index += 1
                }

            case .leadingSpace:
                let byte = text[index]
                if isSpace(byte) {
                    index += 1
                } else if byte == quote {
                    field.removeAll(keepingCapacity: true)
                    fieldOverflow = false
                    overflowBytes = 0
                    openQuote()
                    index += 1
                    segmentStart = index
                } else {
                    state = .unquoted
                }

            case .unquoted:
                var end = index
                while end < count {
                    let byte = text[end]
                    if byte == delimiter || byte == lineFeed || byte == carriageReturn { break }
                    end += 1
                }
                index = end
                if end < count {
                    endField(text, from: segmentStart, to: end)
                    index = try endFieldTerminator(text[end], at: end, into: &records)
                }

            case .quoted:
                var end = index
                while end < count {
                    let byte = text[end]
                    if byte == quote { break }
                    if byte <= carriageReturn {
                        if byte == carriageReturn {
                            line += 1
                        } else if byte == lineFeed, !(end > 0 ? text[end - 1] == carriageReturn : carriedCR) {
                            line += 1
                        }
                    }
                    end += 1
                }
                index = end
                if end < count {
                    state = .quoteInQuoted
                    index = end + 1
                }

            case .quoteInQuoted:
                // The quote is at index - 1 when it is in this chunk; otherwise its field's bytes
                // were already moved to `field` and segmentStart is 0.
                let byte = text[index]
                let contentEnd = index > 0 ? index - 1 : 0
                if byte == quote {
                    if index > 0 {
                        appendToField(text, from: segmentStart, to: index)  // keeps one quote
                    } else {
                        appendQuoteToField()
                    }
                    state = .quoted
                    index += 1
                    segmentStart = index
                } else if byte == delimiter || byte == lineFeed || byte == carriageReturn {
                    endField(text, from: segmentStart, to: contentEnd)
                    index = try endFieldTerminator(byte, at: index, into: &records)
                } else if isSpace(byte) {
                    appendToField(text, from: segmentStart, to: contentEnd)
                    valueEndInField = field.count
                    valueEndInOverflow = overflowBytes
                    state = .afterQuoted
                    segmentStart = index
                    index += 1
                } else {
                    appendToField(text, from: segmentStart, to: contentEnd)
                    addProblem(.textAfterQuote(column: fieldCount + 1))
                    segmentStart = index
                    state = .unquoted
                }

            case .afterQuoted:
                let byte = text[index]
                if isSpace(byte) {
                    index += 1
                } else if byte == delimiter || byte == lineFeed || byte == carriageReturn {
                    dropTrailingSpaces()
                    endField(text, from: index, to: index)
                    index = try endFieldTerminator(byte, at: index, into: &records)
                } else {
                    addProblem(.textAfterQuote(column: fieldCount + 1))
                    state = .unquoted  // the spaces stay part of the value
                }
            }
        }

        switch state {
        case .leadingSpace, .unquoted, .quoted, .afterQuoted:
            appendToField(text, from: segmentStart, to: count)
        case .quoteInQuoted:
            appendToField(text, from: segmentStart, to: count - 1)
        case .recordStart, .afterCR, .fieldStart:
            break
        }
        carriedCR = text[count - 1] == carriageReturn
        consumed += count
    }

    /// End of input: completes the last record; a quoted field still open is a row error.
    mutating func finish(into records: inout [CSVRecord]) throws(CSVIssue) {
        let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        switch state {
        case .recordStart, .afterCR:
            return
        case .quoted:
            addProblem(.unterminatedQuote(column: fieldCount + 1, quoteLine: quoteLine))
        case .afterQuoted:
            dropTrailingSpaces()
        case .fieldStart, .leadingSpace, .unquoted, .quoteInQuoted:
            break
        }
        endField(none, from: 0, to: 0)
        state = .recordStart
        try endRecord(endOffset: Int.max, into: &records)
    }

    // MARK: - Fields

    private mutating func openQuote() {
        state = .quoted
        recordHadQuote = true
        quoteLine = line
    }

    /// Handles the delimiter or line break at `position` that ended a field; returns the next index.
    @inline(__always)
    private mutating func endFieldTerminator(
        _ byte: UInt8,
        at position: Int,
        into records: inout [CSVRecord]
    ) throws(CSVIssue) -> Int {
        if byte == delimiter {
            state = .fieldStart
        } else {
            try endRecord(endOffset: consumed + position, into: &records)
            line += 1
            state = byte == Self.carriageReturn ? .afterCR : .recordStart
        }
        return position + 1
    }

    /// Copies `text[start..<end]` into `field`, or starts skipping once the field is too large.
    private mutating func appendToField(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard end > start else { return }
        if fieldOverflow {
            overflowBytes += end - start
            return
        }
        guard field.count + (end - start) <= limits.maxFieldBytes else {
            fieldOverflow = true
            overflowBytes = field.count + (end - start)
            field.removeAll(keepingCapacity: true)
            return
        }
        field.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<end]))
    }

    private mutating func appendQuoteToField() {
        if fieldOverflow {
            overflowBytes += 1
            return
        }
        guard field.count < limits.maxFieldBytes else {
            fieldOverflow = true
            overflowBytes = field.count + 1
            field.removeAll(keepingCapacity: true)
            return
        }
        field.append(Self.quote)
    }

    /// In `afterQuoted`: forgets the spaces after the closing quote.
    private mutating func dropTrailingSpaces() {
        if field.count > valueEndInField { field.removeSubrange(valueEndInField...) }
        if fieldOverflow { overflowBytes = valueEndInOverflow }
    }

    /// Completes the current field: `field` (if any) followed by `text[start..<end]`.
    @inline(__always)
    private mutating func endField(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        fieldCount += 1
        let length = field.count + overflowBytes + (end - start)
        var value = ""
        if fieldOverflow || length > limits.maxFieldBytes {
            addProblem(.fieldTooLarge(column: fieldCount))
        } else if fieldCount > limits.maxFieldsPerRecord {
            addProblem(.tooManyFields)
        } else if recordBytes + length > limits.maxRecordBytes {
            addProblem(.recordTooLarge(column: fieldCount))
        } else if field.isEmpty {
            if end > start { value = String(decoding: UnsafeBufferPointer(rebasing: text[start..<end]), as: UTF8.self) }
        } else {
            if end > start { field.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<end])) }
            value = String(decoding: field, as: UTF8.self)
        }
        recordBytes += length
        if fieldCount <= limits.maxFieldsPerRecord { fields.append(value) }
        if !field.isEmpty { field.removeAll(keepingCapacity: true) }
        fieldOverflow = false
        overflowBytes = 0
    }

    private mutating func addProblem(_ problem: Problem) {
        if !problems.contains(where: { Self.sameKind($0, problem) }) { problems.append(problem) }
    }

    private static func sameKind(_ lhs: Problem, _ rhs: Problem) -> Bool {
        switch (lhs, rhs) {
        case (.unterminatedQuote, .unterminatedQuote), (.fieldTooLarge, .fieldTooLarge),
            (.tooManyFields, .tooManyFields), (.recordTooLarge, .recordTooLarge),
            (.textAfterQuote, .textAfterQuote):
            true
        default:
            false
        }
    }

    // MARK: - Records

    /// Completes the current record: the first non-blank one becomes the header; the others are
    /// checked against its width and appended to `records`.
    private mutating func endRecord(endOffset: Int, into records: inout [CSVRecord]) throws(CSVIssue) {
        defer { resetRecord() }
        let repaired = takeMarks(before: endOffset)
        if isBlankLine { return }

        guard header != nil else {
            let issues = problems.map { issue(for: $0, recordNumber: nil) }
            if let fatal = issues.first(where: { $0.severity == .fatal }) { throw fatal }
            header = fields
            headerLine = recordLine
            expectedCount = fields.count
            headerIssues = issues
            if repaired {
                headerIssues.append(.encodingFallback(line: recordLine, recordNumber: nil, encoding: encoding))
            }
            return
        }

        recordCount += 1
        var issues: [CSVIssue] = []
        if !problems.isEmpty { issues = problems.map { issue(for: $0, recordNumber: recordCount) } }
        // A row that already has an error (an unclosed quote swallowing the rest) gets no
        // second complaint about its width.
        let hasRowError = issues.contains { $0.severity == .rowError }
        if fields.count < expectedCount {
            fields.append(contentsOf: repeatElement("", count: expectedCount - fields.count))
        }
        if !hasRowError, fieldCount != expectedCount {
            issues.append(
                fieldCount < expectedCount
                    ? .missingFields(line: recordLine, recordNumber: recordCount, expected: expectedCount, found: fieldCount)
                    : .extraFields(line: recordLine, recordNumber: recordCount, expected: expectedCount, found: fieldCount)
            )
        }
        if repaired {
            issues.append(.encodingFallback(line: recordLine, recordNumber: recordCount, encoding: encoding))
        }
        records.append(CSVRecord(fields: fields, recordNumber: recordCount, line: recordLine, issues: issues))
    }

    /// A line holding nothing but spaces (one unquoted, blank field) is skipped like an empty one.
    private var isBlankLine: Bool {
        guard fieldCount == 1, !recordHadQuote, problems.isEmpty, let only = fields.first else { return false }
        return only.utf8.allSatisfy { $0 == Self.space || $0 == Self.tab }
    }

    private mutating func resetRecord() {
        fields = []
        fields.reserveCapacity(expectedCount)
        fieldCount = 0
        recordBytes = 0
        recordHadQuote = false
        if !problems.isEmpty { problems.removeAll() }
    }

    /// Whether a repaired byte lies before `offset` (in the record just read); forgets those marks.
    private mutating func takeMarks(before offset: Int) -> Bool {
        guard markHead < fallbackMarks.count, fallbackMarks[markHead] < offset else { return false }
        while markHead < fallbackMarks.count, fallbackMarks[markHead] < offset { markHead += 1 }
        if markHead == fallbackMarks.count {
            fallbackMarks.removeAll(keepingCapacity: true)
            markHead = 0
        }
        return true
    }

    private func issue(for problem: Problem, recordNumber: Int?) -> CSVIssue {
        switch problem {
        case let .unterminatedQuote(column, quoteLine):
            .unterminatedQuote(line: recordLine, recordNumber: recordNumber, column: column, quoteLine: quoteLine)
        case let .fieldTooLarge(column):
            .fieldTooLarge(line: recordLine, recordNumber: recordNumber, column: column, limit: limits.maxFieldBytes)
        case .tooManyFields:
            .tooManyFields(line: recordLine, recordNumber: recordNumber, count: fieldCount, limit: limits.maxFieldsPerRecord)
        case let .recordTooLarge(column):
            .recordTooLarge(line: recordLine, recordNumber: recordNumber, column: column, limit: limits.maxRecordBytes)
        case let .textAfterQuote(column):
            .textAfterQuote(line: recordLine, recordNumber: recordNumber, column: column)
        }
    }
}
