import Foundation

/// The part of a response body kept in attempt rows and logs: UTF-8 text, the secret masked,
/// trimmed to a byte limit on a character boundary (`…` marks a cut).
public enum ResponseExcerpt {
    /// Default size of an excerpt, in UTF-8 bytes.
    public static let defaultLimit = 1_024

    /// The excerpt of `body`; nil for an empty body.
    public static func make(
        _ body: [UInt8],
        truncated: Bool = false,
        limit: Int = defaultLimit,
        scrubber: SecretScrubber
    ) -> String? {
        guard !body.isEmpty else { return nil }
        let text = scrubber.scrub(String(decoding: body, as: UTF8.self))
        return trim(text, limit: limit, truncated: truncated)
    }

    /// `text` cut to at most `limit` UTF-8 bytes (plus `…` when cut or `truncated`).
    public static func trim(_ text: String, limit: Int, truncated: Bool = false) -> String {
        guard text.utf8.count > limit else { return truncated ? text + "…" : text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > limit { break }
            result.append(character)
            used += size
        }
        return result + "…"
    }
}
