import Foundation

/// A `Content-Type` value split into its media type and charset.
struct WebhookContentType {
    enum Kind: Equatable {
        case json
        case form
        case unsupported(String)
    }

    /// The lower-cased type/subtype, empty when absent.
    var name: String
    /// The lower-cased `charset` parameter, if any.
    var charset: String?

    init(_ contentType: String?) {
        let parts = (contentType ?? "").split(separator: ";")
        name = parts.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        charset = nil
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            charset = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                .lowercased()
        }
    }

    /// True for the Latin-1 charsets.
    var isLatin1: Bool {
        ["iso-8859-1", "latin1", "iso_8859-1", "windows-1252", "cp1252"].contains(charset ?? "")
    }

    /// How to read a body of this type; an absent type is sniffed from the first non-blank byte.
    func kind(sniffing body: [UInt8]) -> Kind {
        switch name {
        case "application/json", "text/json":
            return .json
        case "application/x-www-form-urlencoded":
            return .form
        case "":
            let first = body.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
            return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : .form
        default:
            return name.hasSuffix("+json") ? .json : .unsupported(name)
        }
    }
}
