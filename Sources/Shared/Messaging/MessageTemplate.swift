import Mustache

/// A message text (an SMS body, a WhatsApp parameter, an email subject or body) written in
/// Mustache and compiled once, when the destination is loaded or saved; rendered for each lead.
///
/// Names: `{{first_name}}`, `{{last_name}}`, `{{full_name}}`, `{{email}}`, `{{phone}}`,
/// `{{postal_code}}`, `{{notes}}`, `{{source_name}}`, `{{tenant_name}}` and `{{extra.<key>}}` for a
/// key of the lead's `extra` object (letters, digits, `_`, `-`: Mustache names allow no spaces and
/// no Hebrew). Sections give fallbacks: `{{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}שלום{{/first_name}}`,
/// and `lowercased(…)`, `uppercased(…)` and `capitalized(…)` change the case of a value.
/// Partials, delimiter changes and pragmas are refused, and sections may test at most
/// ``maximumSectionNames`` different names (``init(_:field:mode:)``).
public struct MessageTemplate: Sendable {
    /// How values are written into the text.
    public enum Mode: String, Sendable, Hashable {
        /// As they are: SMS, WhatsApp, plain-text email and subjects (`&`, `<`, `"` stay).
        case text
        /// HTML-escaped (`&` → `&amp;`, `<` → `&lt;`, …): an email's HTML part.
        case html
    }

    /// The template as written.
    public let source: String
    /// The configuration field it came from; names it in errors.
    public let field: String
    /// Whether values are HTML-escaped.
    public let mode: Mode
    /// The names the template uses (`extra.utm_source`, `first_name`), each once, sorted.
    public let names: [String]
    private let compiled: MustacheTemplate

    /// Compiles and checks `source`, the template held by the configuration `field`.
    /// - Throws: ``MessageTemplateError`` for a syntax error, a partial (`{{>name}}`), a delimiter
    ///   change, a pragma, or a name that is not a lead field (`unknown field {{frist_name}}; known: …`).
    public init(_ source: String, field: String, mode: Mode = .text) throws(MessageTemplateError) {
        try Self.refuseUnsupportedTags(in: source, field: field)
        let header = mode == .text ? Self.textHeader : ""
        let compiled: MustacheTemplate
        do {
            compiled = try MustacheTemplate(string: header + source)
        } catch {
            throw MessageTemplateError(field: field, reason: Self.syntaxReason(error, headerLines: mode == .text ? 1 : 0))
        }
        self.source = source
        self.field = field
        self.mode = mode
        self.compiled = compiled
        self.names = try Self.checkedNames(of: compiled, field: field)
    }

    /// The text for one lead. Values are inserted byte for byte (no Unicode normalization).
    public func render(_ context: MessageTemplateContext) -> String {
        compiled.render(MessageTemplateMustacheRoot(context: context))
    }

    /// Turns HTML escaping off. On a line of its own, so the line break after it is dropped and
    /// the source is parsed exactly as if it came first (a leading blank line stays).
    private static let textHeader = "{{%CONTENT_TYPE:TEXT}}\n"
}
