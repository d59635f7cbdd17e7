/// Delimiter sniffing on the header line.
extension CSVStreamReader {
    /// The delimiters the reader recognises, in tie-break order: comma, semicolon, tab, pipe.
    public static let candidateDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// Finds the end of the header line in the decoded text, counting each candidate delimiter
    /// outside double quotes. Blank lines before the header are skipped, as the tokenizer does.
    struct DelimiterSniffer: Sendable {
        private var counts = [Int](repeating: 0, count: CSVStreamReader.candidateDelimiters.count)
        private var inQuotes = false
        private var sawContent = false
        /// How much of the text has been scanned (the scan resumes there).
        private var scanned = 0
        /// Whether the header line's end has been seen.
        private(set) var foundLineEnd = false
        /// Bytes up to and including the header line's end (blank lines before it count too).
        var headerLength: Int { scanned }

        /// Scans the text not seen yet; returns whether the header line is complete.
        mutating func scan(_ text: [UInt8]) -> Bool {
            let quote = UInt8(ascii: "\"")
            while scanned < text.count, !foundLineEnd {
                let byte = text[scanned]
                scanned += 1
                if byte == quote {
                    inQuotes.toggle()
                    sawContent = true
                } else if inQuotes {
                    continue
                } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    foundLineEnd = sawContent
                } else if byte != UInt8(ascii: " ") {
                    sawContent = true
                    if let slot = CSVStreamReader.candidateDelimiters.firstIndex(of: byte) { counts[slot] += 1 }
                }
            }
            return foundLineEnd
        }

        /// The most frequent candidate on the header line; ties (and no candidate at all, a
        /// one-column file) go to the earlier candidate, so comma wins.
        var delimiter: UInt8 {
            var best = 0
            for slot in counts.indices where counts[slot] > counts[best] { best = slot }
            return CSVStreamReader.candidateDelimiters[best]
        }
    }
}
