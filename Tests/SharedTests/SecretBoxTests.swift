import Shared
import Testing

@Suite("Secrets sealed at rest")
struct SecretBoxTests {
    @Test func sealsAndOpens() throws {
        let box = try SecretBox(currentKey: SecretBox.generateKey())
        let sealed = try box.seal("pit-1234-secret")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("pit-1234-secret"))
        #expect(try box.open(sealed) == "pit-1234-secret")
        #expect(try box.seal("same") != box.seal("same"), "each seal uses a fresh nonce")
    }

    @Test func opensValuesSealedUnderThePreviousKeyDuringRotation() throws {
        let old = SecretBox.generateKey()
        let new = SecretBox.generateKey()
        let sealed = try SecretBox(currentKey: old).seal("token")
        let rotating = try SecretBox(currentKey: new, previousKey: old)
        #expect(try rotating.open(sealed) == "token")
        #expect(!rotating.isSealedWithCurrentKey(sealed))
        #expect(rotating.isSealedWithCurrentKey(try rotating.seal("token")))
        #expect(throws: SecretBox.OpenError.self) { try SecretBox(currentKey: new).open(sealed) }
    }

    @Test func rejectsTamperedValues() throws {
        let box = try SecretBox(currentKey: SecretBox.generateKey())
        var sealed = try box.seal("token")
        sealed[sealed.count - 1] ^= 0xFF
        #expect(throws: SecretBox.OpenError.self) { try box.open(sealed) }
    }
}
