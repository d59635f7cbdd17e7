import Shared
import Testing

@Suite("Message templates: the compiled cache")
struct MessageTemplateCacheTests {
    @Test func aCachedTemplateRendersLikeAFreshOneAndAFailureIsNeverCached() throws {
        let source = "שלום {{first_name}}{{^first_name}}שם{{/first_name}} 👋"
        let context = MessageTemplateContext(firstName: "דנה")
        let fresh = try MessageTemplate(source, field: "body").render(context)
        for _ in 0..<3 {
            #expect(Array(try MessageTemplate.compiled(source, field: "body").render(context).utf8) == Array(fresh.utf8))
        }
        #expect(try MessageTemplate.compiled(source, field: "html", mode: .html).mode == .html, "the mode is part of the key")
        for _ in 0..<2 {
            #expect(throws: MessageTemplateError.self) { try MessageTemplate.compiled("Hi {{frist_name}}", field: "body") }
        }
    }
}
