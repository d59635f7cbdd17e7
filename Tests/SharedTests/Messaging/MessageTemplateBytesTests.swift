import Shared
import Testing

/// Hebrew (with niqqud in an order NFC would change), emoji with skin tones and ZWJ sequences,
/// and decomposed accents come out byte for byte. Compared as UTF-8 arrays: `String ==` compares
/// canonical equivalence and would hide a normalization.
@Suite("Message templates: byte-exact text")
struct MessageTemplateBytesTests {
    /// שָׁ written shin, shin dot (ccc 25), qamats (ccc 18): not canonical order, so NFC would swap the marks.
    static let shinNotCanonical = "\u{05E9}\u{05C1}\u{05B8}"
    static let name = "\u{05D3}\u{05BC}\u{05B8}\u{05E0}\u{05B4}\u{05D9}"  // דָּנִי
    static let wave = "\u{1F44B}\u{1F3FD}"  // 👋🏽
    static let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"  // 👨‍👩‍👧
    static let decomposedE = "e\u{0301}"  // é as e + combining acute

    static let greeting = "\(shinNotCanonical) \(family)\(decomposedE)"
    static let context = MessageTemplateContext(firstName: name, extra: ["greeting": .string(greeting)])

    /// (template, expected text), both built from the scalars above.
    static let cases: [(String, String)] = [
        ("\(shinNotCanonical)לוֹם {{first_name}} \(wave) \(family) בדיקה", "\(shinNotCanonical)לוֹם \(name) \(wave) \(family) בדיקה"),
        ("{{first_name}}\(decomposedE) {{extra.greeting}}", "\(name)\(decomposedE) \(greeting)"),
        (
            "{{#first_name}}\(wave){{first_name}}\(family){{/first_name}}{{^first_name}}\(shinNotCanonical){{/first_name}}",
            "\(wave)\(name)\(family)"
        ),
    ]

    @Test("rendered bytes are the template's and the values' bytes", arguments: [MessageTemplate.Mode.text, .html])
    func bytesAreKept(_ mode: MessageTemplate.Mode) throws {
        for (source, expected) in Self.cases {
            let rendered = try MessageTemplate(source, field: "body", mode: mode).render(Self.context)
            #expect(Array(rendered.utf8) == Array(expected.utf8))
        }
    }

    @Test func theCheckWouldSeeANormalization() {
        // The canonical order of the same marks is `==` to the template's, yet other bytes.
        let canonical = "\u{05E9}\u{05B8}\u{05C1}"
        #expect(canonical == Self.shinNotCanonical)
        #expect(Array(canonical.utf8) != Array(Self.shinNotCanonical.utf8))
    }
}
