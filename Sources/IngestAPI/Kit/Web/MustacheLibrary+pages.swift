import Mustache

extension MustacheLibrary {
    /// A library of `pages` (name, template); a template that does not compile is a programming error.
    static func compiling(_ pages: [(name: String, template: String)]) -> MustacheLibrary {
        var library = MustacheLibrary()
        do {
            for page in pages { try library.register(page.template, named: page.name) }
        } catch {
            preconditionFailure("page template does not compile: \(error)")
        }
        return library
    }
}

/// The start of every HTML page we serve, up to the title.
enum HTMLPageHead {
    static let start = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        """
}
