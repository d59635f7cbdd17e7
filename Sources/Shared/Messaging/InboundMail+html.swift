import Foundation

extension InboundMail {
    /// `html` reduced to text, crudely: `script` and `style` elements dropped, line breaks where
    /// `<br>`, paragraphs, divs, rows and list items end, every other tag removed, the common
    /// entities and numeric references decoded, and runs of blank lines collapsed.
    static func plainText(html: String) -> String {
        var output = ""
        var rest = Substring(html)
        let breaks: Set<String> = ["br", "/p", "p", "/div", "/tr", "/li", "/h1", "/h2", "/h3", "/blockquote"]
        while let open = rest.firstIndex(of: "<") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                rest = rest[rest.endIndex...]
                break
            }
            let tag = rest[rest.index(after: open)..<close].lowercased()
            let closing = tag.hasPrefix("/")
            let name = (closing ? "/" : "") + tag.dropFirst(closing ? 1 : 0).prefix { $0.isLetter || $0.isNumber }
            rest = rest[rest.index(after: close)...]
            if name == "script" || name == "style", let end = rest.range(of: "</\(name)", options: .caseInsensitive) {
                rest = rest[end.upperBound...]
                if let close = rest.firstIndex(of: ">") { rest = rest[rest.index(after: close)...] }
            } else if breaks.contains(name) {
                output += "\n"
            }
        }
        output += rest
        let lines = decodeEntities(output).split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        var text: [Substring] = []
        for line in lines where !(line.isEmpty && (text.last?.isEmpty ?? true)) { text.append(line) }
        while text.last?.isEmpty == true { text.removeLast() }
        return text.joined(separator: "\n")
    }

    /// `text` with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&apos;`, `&nbsp;` and `&#N;`/`&#xH;` decoded.
    private static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [Substring: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}"]
        var output = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semicolon = after.prefix(10).firstIndex(of: ";") {
                let entity = after[..<semicolon]
                var decoded = named[entity]
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    decoded = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if entity.hasPrefix("#") {
                    decoded = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                }
                if let decoded {
                    output += decoded
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            output += "&"
            rest = after
        }
        return output + rest
    }
}
