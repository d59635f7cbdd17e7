import Foundation

/// An SMS opt-out or opt-in keyword: a message that is exactly one of Twilio's default keywords.
///
/// Matching follows Twilio's rule (reference §2.7): only a single-word message counts, compared
/// case-insensitively after trimming surrounding whitespace and newlines. "STOP PLEASE" and
/// "OPT OUT" are not keywords. Punctuation is not stripped ("stop." is not a keyword): Twilio
/// documents no punctuation handling, and matching exactly what Twilio matches keeps our opt-out
/// state the same as the block Twilio applies itself (error 21610). Letters are compared as ASCII
/// only, so no other script's case mapping can turn a word into a keyword. Other languages'
/// keywords (Hebrew) are a product decision and not included.
public struct OptOutKeyword: Sendable, Hashable {
    /// What the keyword asks for.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// Stop sending to this address on this channel.
        case optOut = "opt_out"
        /// Sending may resume.
        case optIn = "opt_in"
    }

    /// Twilio's default opt-out keywords (`REVOKE` and `OPTOUT` since May 2025).
    public static let optOutWords: Set<String> = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
    /// Twilio's default opt-in keywords.
    public static let optInWords: Set<String> = ["START", "YES", "UNSTOP"]

    /// The keyword in upper case, e.g. `STOP`.
    public var word: String
    /// What it asks for.
    public var action: Action

    /// The keyword `message` is; nil when it is anything else.
    public init?(message: String) {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        let upper = String(decoding: trimmed.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
        if Self.optOutWords.contains(upper) {
            action = .optOut
        } else if Self.optInWords.contains(upper) {
            action = .optIn
        } else {
            return nil
        }
        word = upper
    }
}
