import Foundation
import Shared
import Testing

@Suite("Email webhooks: Inbound Parse charsets and thread headers")
struct EmailWebhookParsingTests {
    /// A charset `charsets` may name, bytes in it, and the text they are.
    struct CharsetCase: Sendable, CustomTestStringConvertible {
        var charset: String
        var bytes: [UInt8]
        var text: String
        var note: String?
        var testDescription: String { charset }
    }

    static let charsetCases: [CharsetCase] = [
        CharsetCase(charset: "UTF-8", bytes: Array("שלום 👋🏽".utf8), text: "שלום 👋🏽"),
        CharsetCase(charset: "us-ascii", bytes: Array("plain".utf8), text: "plain"),
        CharsetCase(charset: "ISO-8859-1", bytes: [0x63, 0x61, 0x66, 0xE9, 0x20, 0xA3, 0x35], text: "café £5"),
        CharsetCase(charset: "windows-1252", bytes: [0x93, 0x68, 0x69, 0x94, 0x20, 0x80, 0x35], text: "\u{201C}hi\u{201D} €5"),
        CharsetCase(charset: "iso-8859-8-i", bytes: [0xF9, 0xEC, 0xE5, 0xED, 0x20, 0xAA], text: "שלום ×"),
        CharsetCase(charset: "windows-1255", bytes: [0xF9, 0xC8, 0xEC, 0xE5, 0xED, 0x20, 0xA4, 0x35], text: "שָלום ₪5"),
        CharsetCase(charset: "UTF-8", bytes: [0x61, 0xFF, 0x62], text: "a\u{FFFD}b", note: "invalid UTF-8 replaced by U+FFFD"),
        CharsetCase(charset: "x-klingon", bytes: Array("qapla'".utf8), text: "qapla'", note: "unknown charset x-klingon, read as UTF-8"),
    ]

    @Test(arguments: charsetCases)
    func aFieldIsDecodedInTheCharsetSendGridNames(example: CharsetCase) {
        let decoded = InboundMailCharset.decode(example.bytes, charset: example.charset)
        #expect(Array(decoded.text.utf8) == Array(example.text.utf8))
        #expect(decoded.note == example.note)
    }

    @Test func anUnknownCharsetIsNotedOnTheReply() throws {
        let form = try InboundMailForm(
            body: InboundParseFixture.reply(charset: "x-klingon").body,
            contentType: InboundParseFixture.reply().contentType
        )
        let mail = try InboundMail(form: form)
        #expect(mail.notes == ["subject: unknown charset x-klingon, read as UTF-8", "text: unknown charset x-klingon, read as UTF-8"])
    }

    @Test func theThreadHeadersNameTheDeliveryAndTheMessageIdDedupes() throws {
        let fixture = InboundParseFixture.reply(
            messageId: "own-7@mail.example.com",
            inReplyTo: "someone-else@example.com",
            references: "<leadrelay.d12.a@x.example> <leadrelay.d345.b@x.example>"
        )
        let mail = try InboundMail(form: InboundMailForm(body: fixture.body, contentType: fixture.contentType))
        #expect(mail.inReplyToDeliveryId == 345, "References are searched latest first")
        #expect(mail.messageId == "own-7@mail.example.com")
        #expect(mail.deduplicationKey(rawBody: fixture.body) == "own-7@mail.example.com")
        #expect(mail.from == "dana@example.com" && mail.to == EmailHook.inboundAddress)
    }

    @Test(arguments: [
        ("leadrelay.d42.r4nd0m@client.example", Int64?(42)),
        ("LeadRelay.d42.x@client.example", 42),
        ("leadrelay.d42@client.example", nil),
        ("leadrelay.d.x@client.example", nil),
        ("leadrelay.d42.x", nil),
        ("leadrelay.d99999999999999999999.x@client.example", nil),
        ("other.d42.x@client.example", nil),
    ])
    func onlyALeadRelayMessageIdNamesADelivery(messageId: String, delivery: Int64?) {
        let fixture = InboundParseFixture.reply(inReplyTo: messageId)
        let mail = try? InboundMail(form: InboundMailForm(body: fixture.body, contentType: fixture.contentType))
        #expect(mail?.inReplyToDeliveryId == delivery)
    }
}
