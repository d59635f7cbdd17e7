import Foundation
import Shared
import Testing

@Suite("Message templates: rendering")
struct MessageTemplateRenderingTests {
    static let dana = MessageTemplateContext(
        firstName: "Dana",
        lastName: "Levi",
        email: "dana@example.com",
        phone: "+972501234567",
        postalCode: "6100000",
        notes: "Call after 5",
        sourceName: "Facebook ads",
        tenantName: "Garage Cohen",
        extra: ["utm_source": .string("fb"), "age": .number(JSONNumber(42)), "empty": .string(" "), "gone": .null]
    )
    static let nobody = MessageTemplateContext()

    /// (template, context, expected text); compared as UTF-8 bytes.
    static let cases: [(String, MessageTemplateContext, String)] = [
        ("Hi {{first_name}} {{last_name}}", dana, "Hi Dana Levi"),
        ("{{full_name}} <{{email}}> {{phone}} {{postal_code}}", dana, "Dana Levi <dana@example.com> +972501234567 6100000"),
        ("{{notes}} / {{source_name}} / {{tenant_name}}", dana, "Call after 5 / Facebook ads / Garage Cohen"),
        ("{{extra.utm_source}} {{extra.age}} [{{extra.missing}}{{extra.empty}}{{extra.gone}}]", dana, "fb 42 []"),
        ("{{#extra.utm_source}}via {{extra.utm_source}}{{/extra.utm_source}}{{^extra.empty}}, no empty{{/extra.empty}}", dana, "via fb, no empty"),
        ("{{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}שלום{{/first_name}}", dana, "Dana"),
        ("{{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}שלום{{/first_name}}", nobody, "שלום"),
        ("{{#first_name}}{{.}} of {{tenant_name}}{{/first_name}}", dana, "Dana of Garage Cohen"),
        ("{{uppercased(first_name)}} {{lowercased(last_name)}}", dana, "DANA levi"),
        ("[{{first_name}}|{{full_name}}|{{tenant_name}}]", nobody, "[||]"),
        ("{{full_name}}", MessageTemplateContext(lastName: "Levi"), "Levi"),
        ("{{^first_name}}blank{{/first_name}}", MessageTemplateContext(firstName: " \n"), "blank"),
        ("\nHi {{first_name}}\r\n  indented\n", dana, "\nHi Dana\r\n  indented\n"),
        ("  {{#first_name}}\nstandalone\n  {{/first_name}}\n", dana, "standalone\n"),
        ("{{! a comment }}Hi", dana, "Hi"),
        ("", dana, ""),
    ]

    @Test("fields, extra keys, sections and fallbacks render", arguments: cases)
    func renders(_ source: String, _ context: MessageTemplateContext, _ expected: String) throws {
        let template = try MessageTemplate(source, field: "body")
        #expect(Array(template.render(context).utf8) == Array(expected.utf8))
    }

    static let markup = MessageTemplateContext(firstName: #"Tom & "Jerry" <b>'s</b>"#)

    @Test func textModeDoesNotEscape() throws {
        let rendered = try MessageTemplate("Hi {{first_name}} & co", field: "body").render(Self.markup)
        #expect(Array(rendered.utf8) == Array(#"Hi Tom & "Jerry" <b>'s</b> & co"#.utf8))
    }

    @Test func htmlModeEscapes() throws {
        let template = try MessageTemplate("<p>Hi {{first_name}} & co</p>", field: "html", mode: .html)
        let rendered = template.render(Self.markup)
        #expect(Array(rendered.utf8) == Array("<p>Hi Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#39;s&lt;/b&gt; & co</p>".utf8))
        // Triple mustaches still write the value as it is.
        let raw = try MessageTemplate("{{{first_name}}}", field: "html", mode: .html).render(Self.markup)
        #expect(Array(raw.utf8) == Array(Self.markup.firstName.map { Array($0.utf8) } ?? []))
    }

    @Test func contextFromADeliveryLead() throws {
        let lead = DeliveryLead(
            id: 7,
            firstName: "דני",
            lastName: "כהן",
            phone: "+972501234567",
            extra: ["city": .string("חיפה")],
            sourceName: "Site"
        )
        let context = MessageTemplateContext(lead: lead, tenantName: "מוסך")
        let rendered = try MessageTemplate("{{full_name}} {{phone}} {{extra.city}} {{source_name}} {{tenant_name}}", field: "body").render(context)
        #expect(Array(rendered.utf8) == Array("דני כהן +972501234567 חיפה Site מוסך".utf8))
    }
}
