import Mustache

/// The server-rendered pages (hosted lead forms, the CSV upload page), compiled once at start from
/// `Resources/templates/web/<name>.mustache` (embedded in the binary, ``EmbeddedText``).
struct WebTemplates: Sendable {
    let library: MustacheLibrary

    /// The templates by name: `layout` is the page frame the others extend.
    static let pages: [(name: String, file: [UInt8])] = [
        ("layout", PackageResources.layout_mustache), ("form", PackageResources.form_mustache),
        ("thanks", PackageResources.thanks_mustache), ("not_found", PackageResources.not_found_mustache),
        ("upload", PackageResources.upload_mustache),
    ]

    /// The upload page's script, served at `/assets/upload.js` (`Resources/assets/upload.js`).
    static let uploadScript = EmbeddedText.string(PackageResources.upload_js)

    /// Compiles every page template; a template syntax error is a programming error.
    init() {
        library = .compiling(Self.pages)
    }

    /// `object` rendered with the template `name` (HTML-escaped by default).
    func render(_ object: Any, template name: String) -> String {
        library.render(object, withTemplate: name) ?? ""
    }
}
