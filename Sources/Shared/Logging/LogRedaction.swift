/// Masks personal data and secrets before they reach a log line.
///
/// Emails become `j***@example.com`; international phone numbers (`+` and 7 or more digits) and any
/// value under a `phone` key keep only their last two digits; values under secret-sounding keys
/// (`token`, `secret`, `password`, `authorization`, `api_key`) are replaced. Plain digit runs such as
/// ids and timestamps are left alone.
public enum LogRedaction {
    private static let secretKeyFragments = ["token", "secret", "password", "authorization", "api_key", "apikey", "cookie"].map { Array($0.utf8) }
    private static let phoneKeyFragment = Array("phone".utf8)

    /// The text with emails and phone numbers masked; everything when `key` names a secret.
    public static func redact(_ text: String, key: String? = nil) -> String {
        if let key {
            // Runs for every metadata value of every log line: bytes, not Foundation's substring search.
            let lowered = key.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
            if secretKeyFragments.contains(where: { contains(lowered, $0) }) { return "[redacted]" }
            if contains(lowered, phoneKeyFragment) { return maskPhones(text, requirePlus: false) }
        }
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "@") || ($0 >= 0x30 && $0 <= 0x39) }) else { return text }
        return maskPhones(maskEmails(text), requirePlus: true)
    }

    /// Whether `fragment` occurs in `bytes`.
    private static func contains(_ bytes: [UInt8], _ fragment: [UInt8]) -> Bool {
        guard let first = fragment.first, bytes.count >= fragment.count else { return fragment.isEmpty }
        for start in 0...(bytes.count - fragment.count) where bytes[start] == first {
            if bytes[start..<(start + fragment.count)].elementsEqual(fragment) { return true }
        }
        return false
    }

    /// `jane.doe@example.com` → `j***@example.com`.
    static func maskEmails(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "@")) else { return text }
        var output = ""
        var word = ""
        func flush() {
            if let at = word.firstIndex(of: "@"), at > word.startIndex, word[word.index(after: at)...].contains(".") {
                output += String(word[word.startIndex]) + "***" + word[at...]
            } else {
                output += word
            }
            word = ""
        }
        for character in text {
            if character.isWhitespace || "<>\"'(),;[]".contains(character) {
                flush()
                output.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return output
    }

    /// Runs of 7 or more digits (with phone punctuation between) keep only their last two digits;
    /// with `requirePlus` only runs that start with `+`.
    static func maskPhones(_ text: String, requirePlus: Bool) -> String {
        var output = ""
        var run = ""
        var digits = 0
        func flush() {
            if digits >= 7 && (!requirePlus || run.first == "+") {
                var remaining = digits
                for character in run {
                    if character.isNumber {
                        remaining -= 1
                        output.append(remaining < 2 ? character : "•")
                    } else {
                        output.append(character)
                    }
                }
            } else {
                output += run
            }
            run = ""
            digits = 0
        }
        for character in text {
            if character.isASCII && character.isNumber {
                run.append(character)
                digits += 1
            } else if !run.isEmpty && " -.()+".contains(character) {
                run.append(character)
            } else if run.isEmpty && character == "+" {
                run.append(character)
            } else {
                flush()
                output.append(character)
            }
        }
        flush()
        return output
    }
}
