import Foundation

/// Replaces a destination's secret wherever it shows up in text bound for logs, attempt rows or
/// error messages (a CRM echoing the token back, an error describing the request…).
public struct SecretScrubber: Sendable, Hashable {
    /// What a secret is replaced with.
    public static let mask = "[redacted]"

    private let needles: [String]

    /// A scrubber for `secret`; secrets shorter than 3 characters are not searched for (they
    /// would mask ordinary text and are not credentials anyone issues).
    public init(secret: String?) {
        guard let secret, secret.count >= 3 else {
            needles = []
            return
        }
        var needles = [secret]
        let escaped = JSONBodyWriter.escaped(secret)
        if escaped != secret { needles.append(escaped) }
        self.needles = needles
    }

    /// `text` with every occurrence of the secret replaced by ``mask``.
    public func scrub(_ text: String) -> String {
        var result = text
        for needle in needles where result.contains(needle) {
            result = result.replacingOccurrences(of: needle, with: Self.mask)
        }
        return result
    }
}
