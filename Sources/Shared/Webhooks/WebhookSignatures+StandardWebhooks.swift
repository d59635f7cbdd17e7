import Crypto
import Foundation

/// Standard Webhooks (https://www.standardwebhooks.com), as used by Shopmonkey.
extension WebhookSignatures {
    /// Checks the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers of a Standard
    /// Webhooks request: HMAC-SHA256 over `"<id>.<timestamp>.<body>"` keyed with the secret (see
    /// ``standardWebhookKey(_:)``). The signature header may hold several space-separated
    /// `v1,<base64>` entries (during secret rotation); any match passes, other versions are ignored.
    /// The signature is checked before the timestamp, so a stale-timestamp rejection means an
    /// authentic but old (replayed) message.
    ///
    /// - Parameters:
    ///   - now: the current time; `tolerance`: how far (seconds, either way) the timestamp may be from it.
    /// - Throws: 401 `bad_signature` for a missing header, no `v1` entry, a mismatch, a timestamp
    ///   that is not unix seconds, or one outside the tolerance; also for an empty secret.
    public static func verifyStandardWebhook(
        id: String?,
        timestamp: String?,
        signatures: String?,
        body: [UInt8],
        secret: String,
        now: Date = Date(),
        tolerance: TimeInterval = 300
    ) throws(WebhookRejection) {
        let id = id?.trimmingCharacters(in: .whitespaces) ?? ""
        let timestamp = timestamp?.trimmingCharacters(in: .whitespaces) ?? ""
        let signatures = signatures?.trimmingCharacters(in: .whitespaces) ?? ""
        let missing = [("webhook-id", id), ("webhook-timestamp", timestamp), ("webhook-signature", signatures)]
            .filter { $0.1.isEmpty }.map(\.0)
        if !missing.isEmpty {
            throw .badSignature("missing \(missing.joined(separator: ", ")) header\(missing.count > 1 ? "s" : "")")
        }
        let key = standardWebhookKey(secret)
        guard !key.isEmpty else { throw .badSignature("no signing secret is configured for this source") }

        let candidates = signatures.split(separator: " ").compactMap { entry -> Substring? in
            guard let comma = entry.firstIndex(of: ","), entry[..<comma] == "v1" else { return nil }
            return entry[entry.index(after: comma)...]
        }
        guard !candidates.isEmpty else {
            throw .badSignature("malformed webhook-signature header: no v1,<base64> signature")
        }
        let mac = HMAC<SHA256>.authenticationCode(
            for: signedContent(id: id, timestamp: timestamp, body: body),
            using: SymmetricKey(data: key)
        )
        var matched = false
        for candidate in candidates {
            // Every candidate is compared (constant time each), so timing does not reveal which matched.
            if let bytes = WebhookEncoding.bytes(base64: candidate), mac == bytes { matched = true }
        }
        guard matched else { throw .badSignature("webhook-signature does not match the body") }

        guard let seconds = Int64(timestamp) else {
            throw .badSignature("malformed webhook-timestamp header: expected unix seconds")
        }
        let offset = Double(seconds) - now.timeIntervalSince1970
        if abs(offset) > tolerance {
            let direction = offset < 0 ? "in the past" : "in the future"
            // Near Int64.min the distance does not fit in an Int64 (converting it would trap).
            let distance = abs(offset).rounded(.down)
            let distanceText = Int64(exactly: distance).map { String($0) } ?? String(format: "%.0f", distance)
            throw .badSignature(
                "timestamp \(seconds) is \(distanceText) s \(direction), "
                    + "outside the \(toleranceText(tolerance)) tolerance"
            )
        }
    }

    /// The `webhook-signature` value `"v1,<base64 HMAC-SHA256>"` for a payload (for tests and senders).
    public static func standardWebhookSignature(id: String, timestamp: String, body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: signedContent(id: id, timestamp: timestamp, body: body),
            using: SymmetricKey(data: standardWebhookKey(secret))
        )
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The HMAC key of a Standard Webhooks secret: the base64-decoded part after `whsec_`; a secret
    /// without the prefix is read as base64 too, and anything that is not base64 as its UTF-8 bytes.
    static func standardWebhookKey(_ secret: String) -> [UInt8] {
        var text = Substring(secret.trimmingCharacters(in: .whitespacesAndNewlines))
        if text.hasPrefix("whsec_") { text = text.dropFirst(6) }
        return WebhookEncoding.bytes(base64: text) ?? Array(text.utf8)
    }

    private static func signedContent(id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        var content = Array(id.utf8)
        content.reserveCapacity(content.count + timestamp.utf8.count + body.count + 2)
        content.append(UInt8(ascii: "."))
        content.append(contentsOf: timestamp.utf8)
        content.append(UInt8(ascii: "."))
        content.append(contentsOf: body)
        return content
    }

    private static func toleranceText(_ tolerance: TimeInterval) -> String {
        if tolerance >= 60, tolerance.truncatingRemainder(dividingBy: 60) == 0 {
            let minutes = Int(tolerance / 60)
            return "\(minutes) minute"
        }
        return "\(Int(tolerance)) second"
    }
}
