import Crypto
import Foundation

/// Seals and opens secrets (destination tokens, webhook signing secrets) with AES-256-GCM.
///
/// A sealed value is `version byte (1) ‖ key id (4 bytes) ‖ nonce ‖ ciphertext ‖ tag`. The key id is
/// the first four bytes of SHA-256 of the key, so values sealed under the previous key can still be
/// opened while keys are rotated (`leadctl secrets rotate-key`).
public struct SecretBox: Sendable {
    /// How `LEADRELAY_SECRET_KEY` must look.
    public static let keyFormatDescription = "32 random bytes, base64-encoded (generate one with: openssl rand -base64 32)"

    private let currentKey: SymmetricKey
    private let currentKeyID: [UInt8]
    private let previousKey: SymmetricKey?
    private let previousKeyID: [UInt8]?

    /// Why a sealed value could not be opened.
    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates a box from base64 keys; `variable` names are used in error messages (the key is never echoed).
    public init(
        currentKey: String,
        variable: String = "LEADRELAY_SECRET_KEY",
        previousKey: String? = nil,
        previousVariable: String = "LEADRELAY_SECRET_KEY_PREVIOUS"
    ) throws(ConfigurationError) {
        self.currentKey = try Self.decodeKey(currentKey, variable: variable)
        self.currentKeyID = Self.keyID(self.currentKey)
        if let previousKey {
            let key = try Self.decodeKey(previousKey, variable: previousVariable)
            self.previousKey = key
            self.previousKeyID = Self.keyID(key)
        } else {
            self.previousKey = nil
            self.previousKeyID = nil
        }
    }

    /// Creates a box from a raw key (tests).
    public init(key: SymmetricKey) {
        self.currentKey = key
        self.currentKeyID = Self.keyID(key)
        self.previousKey = nil
        self.previousKeyID = nil
    }

    /// A fresh random key, base64-encoded, suitable for `LEADRELAY_SECRET_KEY`.
    public static func generateKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Seals `plaintext` under the current key.
    public func seal(_ plaintext: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: currentKey)
        guard let combined = box.combined else { throw OpenError(description: "sealing failed") }
        return [1] + currentKeyID + Array(combined)
    }

    /// Opens a value sealed by ``seal(_:)`` under the current or the previous key.
    public func open(_ sealed: [UInt8]) throws -> String {
        guard sealed.count > 5 + 12 + 16, sealed[0] == 1 else { throw OpenError(description: "not a sealed secret") }
        let keyID = Array(sealed[1..<5])
        let key: SymmetricKey
        if keyID == currentKeyID {
            key = currentKey
        } else if let previousKey, keyID == previousKeyID {
            key = previousKey
        } else {
            throw OpenError(
                description: "secret was sealed with a key this process does not have (set LEADRELAY_SECRET_KEY_PREVIOUS during rotation)"
            )
        }
        do {
            let box = try AES.GCM.SealedBox(combined: Data(sealed[5...]))
            let data = try AES.GCM.open(box, using: key)
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw OpenError(description: "secret failed authentication (wrong key or corrupted value)")
        }
    }

    /// Whether `sealed` was sealed under the current key (rotation skips those).
    public func isSealedWithCurrentKey(_ sealed: [UInt8]) -> Bool {
        sealed.count > 5 && Array(sealed[1..<5]) == currentKeyID
    }

    private static func decodeKey(_ text: String, variable: String) throws(ConfigurationError) -> SymmetricKey {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw ConfigurationError(variable: variable, expected: "must be \(keyFormatDescription)")
        }
        return SymmetricKey(data: data)
    }

    private static func keyID(_ key: SymmetricKey) -> [UInt8] {
        Array(key.withUnsafeBytes { SHA256.hash(data: $0) }.prefix(4))
    }
}
