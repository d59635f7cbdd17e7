/// The text files under `Sources/IngestAPI/App/Resources/` (templates, CSS, JS, `openapi.json`), which
/// SwiftPM compiles into the binary as `PackageResources.<file_name>` byte arrays (`.embedInCode` in
/// Package.swift): the binary runs from any directory and needs no resource bundle beside it.
enum EmbeddedText {
    /// A file's UTF-8 contents as text, without the newline that ends the file, so a template renders
    /// exactly as it did when it was a Swift string literal.
    static func string(_ file: [UInt8]) -> String {
        let text = String(decoding: file, as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
