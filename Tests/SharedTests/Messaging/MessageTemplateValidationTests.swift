import Shared
import Testing

@Suite("Message templates: save-time checks")
struct MessageTemplateValidationTests {
    static let known = "known: first_name, last_name, full_name, email, phone, postal_code, notes, source_name, tenant_name, extra.<key>"

    static func error(_ source: String, mode: MessageTemplate.Mode = .text) -> MessageTemplateError? {
        do {
            _ = try MessageTemplate(source, field: "body", mode: mode)
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownFieldNamesTheFieldAndListsTheKnownOnes() throws {
        let error = try #require(Self.error("שלום {{frist_name}}!"))
        #expect(error.field == "body")
        #expect(error.reason == "unknown field {{frist_name}}; \(Self.known)")
        #expect(error.description == "body: unknown field {{frist_name}}; \(Self.known)")
    }

    /// (template, the unknown names the error lists)
    static let unknownNames: [(String, String)] = [
        ("{{nme}} {{first_name}} {{phone_number}}", "fields {{nme}}, {{phone_number}}"),
        ("{{#first_name}}Hi {{nme}}{{/first_name}}", "field {{nme}}"),
        ("{{^first_name}}Hi {{nme}}{{/first_name}}", "field {{nme}}"),
        ("{{#first_name}}{{#last_name}}{{^email}}{{nme}}{{/email}}{{/last_name}}{{/first_name}}", "field {{nme}}"),
        ("{{#unknown_section}}x{{/unknown_section}}", "field {{unknown_section}}"),
        ("{{extra}}", "field {{extra}}"),
        ("{{#extra}}{{first_name}}{{/extra}}", "field {{extra}}"),
        ("{{extra.a.b}}", "field {{extra.a.b}}"),
        ("{{first_name.x}}", "field {{first_name.x}}"),
        ("{{.}}", "field {{.}}"),
        ("{{utm_source}}", "field {{utm_source}}"),
        ("{{FIRST_NAME}}", "field {{FIRST_NAME}}"),
    ]

    @Test("unknown names are refused wherever they are", arguments: unknownNames)
    func unknownNamesAreRefused(_ source: String, _ listed: String) throws {
        let error = try #require(Self.error(source))
        #expect(error.reason == "unknown \(listed); \(Self.known)")
    }

    /// (template, reason)
    static let refusedTags: [(String, String)] = [
        ("Hi {{> footer}}", "partials ({{>name}}) are not supported"),
        ("Hi {{>*dynamic}}", "partials ({{>name}}) are not supported"),
        ("{{<base}}{{$block}}x{{/block}}{{/base}}", "partials ({{<name}}) are not supported"),
        ("{{=<% %>=}}<%> footer%>", "delimiter changes ({{=…=}}) are not supported"),
        ("{{%CONTENT_TYPE:HTML}}{{first_name}}", "pragmas ({{%…}}) are not supported"),
        ("{{shout(first_name)}}", "unknown function shout(…); known: capitalized, lowercased, uppercased"),
    ]

    @Test("partials, delimiter changes, pragmas and unknown functions are refused", arguments: refusedTags)
    func tagsAreRefused(_ source: String, _ reason: String) throws {
        let text = try #require(Self.error(source))
        let html = try #require(Self.error(source, mode: .html))
        #expect(text.reason == reason)
        #expect(html.reason == reason)
    }

    /// (template, reason); lines and columns are the operator's, whatever the mode adds.
    static let syntaxErrors: [(String, String)] = [
        ("Hi {{#first_name}}there", "syntax error at line 1, column 24: a section {{#name}} or {{^name}} is not closed with {{/name}}"),
        (
            "line one\n{{#first_name}}x{{/last_name}}",
            "syntax error at line 2, column 20: a closing tag {{/name}} does not match the section it closes"
        ),
        (
            "Hi {{first name}}",
            "syntax error at line 1, column 12: a tag is not closed with }} or its name has a character names cannot have "
                + "(letters, digits, _ and - only)"
        ),
    ]

    @Test("a syntax error says where and what", arguments: syntaxErrors)
    func syntaxErrorsAreExplained(_ source: String, _ reason: String) throws {
        let text = try #require(Self.error(source))
        let html = try #require(Self.error(source, mode: .html))
        #expect(text.reason == reason)
        #expect(html.reason == reason)
    }

    @Test(arguments: ["{{extra.my key}}", "{{extra.עיר}}", "{{שם}}"])
    func extraKeysWithSpacesOrHebrewCannotBeWritten(_ source: String) throws {
        // Mustache names are ASCII letters, digits, `_`, `-`, `.`: such keys are a syntax error, not a silent blank.
        #expect(try #require(Self.error(source)).reason.hasPrefix("syntax error at line 1"))
    }

    @Test func sectionsTestAtMostTenNames() throws {
        let sections = (1...10).map { "{{#extra.k\($0)}}{{^extra.k\($0)}}{{/extra.k\($0)}}{{/extra.k\($0)}}" }.joined()
        #expect(try MessageTemplate(sections, field: "html", mode: .html).names.count == 10)
        let error = try #require(Self.error(sections + "{{^notes}}none{{/notes}}"))
        #expect(error.reason == "sections test more than 10 different names")
        // Unknown names are reported first, even when there are too many.
        let typo = try #require(Self.error(sections + "{{^nots}}none{{/nots}}"))
        #expect(typo.reason == "unknown field {{nots}}; \(Self.known)")
    }

    @Test func theNamesUsedAreListedSorted() throws {
        let source = "{{#first_name}}{{uppercased(first_name)}}{{/first_name}}{{^first_name}}{{extra.utm-source}}{{/first_name}} {{tenant_name}}"
        let template = try MessageTemplate(source, field: "body")
        #expect(template.names == ["extra.utm-source", "first_name", "tenant_name"])
        #expect(template.field == "body")
        #expect(template.source == source)
    }
}
