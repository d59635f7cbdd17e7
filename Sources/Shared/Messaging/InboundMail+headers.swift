extension InboundMail {
    /// The prefix of the Message-IDs LeadRelay gives the mail it sends: `<leadrelay.d<delivery id>.<random>@<domain>>`.
    static let sentMessageIdPrefix = "leadrelay.d"

    /// The header fields of a raw header block (`Name: value` lines, folded lines unfolded), by
    /// lower-cased name; a repeated field keeps its first value.
    static func headerFields(_ raw: String) -> [String: String] {
        var fields: [String: String] = [:]
        var current: (name: String, value: String)?
        func finish() {
            if let current, fields[current.name] == nil { fields[current.name] = current.value }
        }
        for line in raw.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if let first = line.first, first == " " || first == "\t" {
                current?.value += " " + line.trimmingWhitespace()
                continue
            }
            finish()
            current = nil
            guard let colon = line.firstIndex(of: ":") else { continue }
            current = (line[..<colon].trimmingWhitespace().lowercased(), String(line[line.index(after: colon)...].trimmingWhitespace()))
        }
        finish()
        return fields
    }

    /// The message ids in a `Message-ID`, `In-Reply-To` or `References` value, in order, without
    /// their angle brackets.
    static func messageIds(in value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingWhitespace()
            if !id.isEmpty { ids.append(String(id)) }
            rest = rest[rest.index(after: close)...]
        }
        return ids
    }

    /// The delivery id in a Message-ID LeadRelay sent (`leadrelay.d<digits>.<random>@<domain>`), or nil.
    static func deliveryId(inMessageId id: String) -> Int64? {
        guard id.lowercased().hasPrefix(sentMessageIdPrefix), id.contains("@") else { return nil }
        let digits = id.dropFirst(sentMessageIdPrefix.count).prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, id.dropFirst(sentMessageIdPrefix.count + digits.count).first == "." else { return nil }
        return Int64(digits)
    }
}
