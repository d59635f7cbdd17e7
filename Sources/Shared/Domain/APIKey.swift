import Crypto
import Foundation

/// A tenant's API key as stored: only its SHA-256 hash and a visible prefix; the key itself is
/// shown once, at creation.
public struct APIKey: Sendable, Hashable, Codable {
    public var id: UUID
    public var tenantId: UUID
    public var name: String
    /// The visible start of the key (`lr_3fa9c2d1`), to tell keys apart.
    public var prefix: String
    public var requestsPerMinute: Int
    public var lastUsedAt: Date?
    public var revokedAt: Date?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, prefix
        case tenantId = "tenant_id"
        case requestsPerMinute = "requests_per_minute"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
        case createdAt = "created_at"
    }

    /// A new random key: `lr_<8 hex>_<32 base62>`; returns the key and its prefix.
    public static func generate() -> (key: String, prefix: String) {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let prefix = "lr_" + (0..<8).map { _ in String(format: "%x", Int.random(in: 0..<16, using: &generator)) }.joined()
        let secret = String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        return (prefix + "_" + secret, prefix)
    }

    /// SHA-256 of a presented key, the value looked up in `api_keys.key_hash`.
    public static func hash(_ key: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(key.utf8)))
    }

    /// The prefix part of a presented key, or nil when it does not look like one of ours.
    public static func prefix(of key: String) -> String? {
        let parts = key.split(separator: "_")
        guard parts.count == 3, parts[0] == "lr", parts[1].count == 8, parts[2].count == 32 else { return nil }
        return "lr_" + parts[1]
    }
}
