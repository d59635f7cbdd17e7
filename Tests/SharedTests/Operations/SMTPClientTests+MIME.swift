import Foundation
import Shared
import TestSupport
import Testing

extension SMTPClientTests {
    /// Hebrew with niqqud, emoji with a skin tone and a family joined by ZWJ: compared as bytes,
    /// never with `String ==` (which compares canonical equivalence).
    static let hebrew = "שָׁלוֹם דני 👋🏽 👨‍👩‍👧 בדיקה"

    @Test func hebrewSubjectAndBodiesArriveByteExact() async throws {
        try await SMTPStandIn.withRunning { server in
            let subject = "ליד חדש: " + Self.hebrew + " — " + String(repeating: "א", count: 40)
            let html = "<p dir=\"rtl\">\(Self.hebrew)</p>\n<p>.line starting with a dot</p>"
            let message = SMTPMessage(
                from: "leads@acme.test",
                fromName: "אקמה בע״מ",
                to: ["dana@example.com"],
                replyTo: "agent@acme.test",
                subject: subject,
                body: Self.hebrew + "\n.\n",
                html: html,
                messageId: "<d42@acme.test>"
            )
            try await client(port: server.port).send([message])
            let received = try #require(server.messages.first)
            #expect(received.subjectBytes == Array(subject.utf8))
            #expect(received.header("Reply-To") == "agent@acme.test")
            #expect(received.header("Message-ID") == "<d42@acme.test>")
            #expect(received.header("From")?.hasSuffix(" <leads@acme.test>") == true)
            #expect(received.header("Content-Type")?.hasPrefix("multipart/alternative; boundary=") == true)
            let parts = received.parts
            #expect(parts.map { $0.header("Content-Type") } == ["text/plain; charset=utf-8", "text/html; charset=utf-8"])
            #expect(parts.map { $0.header("Content-Transfer-Encoding") } == ["base64", "base64"])
            #expect(parts.first?.bytes == Array((Self.hebrew + "\n.\n").utf8))
            #expect(parts.last?.bytes == Array(html.utf8))
            #expect(received.text + "\r\n" == message.rendered, "the same rendering every time (a stable boundary)")
            let headerLines = received.text.components(separatedBy: "\r\n").prefix { !$0.isEmpty }
            #expect(headerLines.filter { $0.utf8.count > 78 } == [], "long encoded subjects are folded")
        }
    }

    @Test func fromNameIsEncodedWhenNotASCII() throws {
        let name = "אקמה בע״מ"
        let rendered = SMTPMessage(from: "leads@acme.test", fromName: name, to: ["d@example.com"], subject: "s", body: "b").rendered
        let from = try #require(rendered.components(separatedBy: "\r\n").first { $0.hasPrefix("From: ") })
        let word = try #require(from.dropFirst(6).split(separator: " ").first)
        #expect(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))).map(Array.init) == Array(name.utf8))
        let ascii = SMTPMessage(from: "leads@acme.test", fromName: "Acme \"Sales\"", to: ["d@example.com"], subject: "s", body: "b")
        #expect(ascii.rendered.contains("\r\nFrom: \"Acme \\\"Sales\\\"\" <leads@acme.test>\r\n"))
    }

    @Test func asciiTextWithHTMLAlternativeStaysReadable() async throws {
        try await SMTPStandIn.withRunning { server in
            let message = SMTPMessage(
                from: "leads@acme.test",
                to: ["dana@example.com"],
                subject: "Your quote",
                body: "Hello Dana,\n.\nBye",
                html: "<p>Hello Dana,</p>"
            )
            try await client(port: server.port).send([message])
            let received = try #require(server.messages.first)
            #expect(received.header("Reply-To") == nil)
            let parts = received.parts
            #expect(parts.map { $0.header("Content-Transfer-Encoding") } == ["7bit", "7bit"])
            #expect(parts.first?.bytes == Array("Hello Dana,\r\n.\r\nBye".utf8))
            #expect(parts.last?.bytes == Array("<p>Hello Dana,</p>".utf8))
            #expect(received.rawLines.contains(".."), "the lone dot is stuffed on the wire")
        }
    }

    @Test func aVeryLongASCIILineGoesInBase64() {
        let line = String(repeating: "x", count: 1_200)
        let rendered = SMTPMessage(from: "leads@acme.test", to: ["d@example.com"], subject: "s", body: line).rendered
        #expect(rendered.contains("Content-Transfer-Encoding: base64"))
        #expect(rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
    }
}
