import Mustache

extension MustacheLibrary {
    /// A library of `pages`, each a name and the contents of its `.mustache` file (``EmbeddedText``);
    /// a template that does not compile is a programming error.
    static func compiling(_ pages: [(name: String, file: [UInt8])]) -> MustacheLibrary {
        var library = MustacheLibrary()
        do {
            for page in pages { try library.register(EmbeddedText.string(page.file), named: page.name) }
        } catch {
            preconditionFailure("page template does not compile: \(error)")
        }
        return library
    }
}
