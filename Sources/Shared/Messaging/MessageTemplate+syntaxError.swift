import Mustache

extension MessageTemplate {
    /// A sentence for a parse failure, with the line and column in the operator's own text
    /// (`headerLines` lines were put before it).
    static func syntaxReason(_ error: any Error, headerLines: Int) -> String {
        guard let parserError = error as? MustacheTemplate.ParserError else { return "syntax error: \(error)" }
        let line = max(1, parserError.context.lineNumber - headerLines)
        let what = (parserError.error as? MustacheTemplate.Error).map(Self.explanation) ?? "a tag is not closed"
        return "syntax error at line \(line), column \(parserError.context.columnNumber): \(what)"
    }

    private static func explanation(_ error: MustacheTemplate.Error) -> String {
        switch error {
        case .sectionCloseNameIncorrect: "a closing tag {{/name}} does not match the section it closes"
        case .unfinishedName: "a tag is not closed with }} or its name has a character names cannot have (letters, digits, _ and - only)"
        case .expectedSectionEnd: "a section {{#name}} or {{^name}} is not closed with {{/name}}"
        case .invalidSetDelimiter: "a delimiter change is malformed"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            "blocks and partials are not supported"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: "pragmas are not supported"
        }
    }
}
