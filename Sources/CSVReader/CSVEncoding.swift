/// The text encoding the reader detected from the first bytes of the input.
public enum CSVEncoding: String, Sendable, Hashable, CaseIterable {
    /// UTF-8 without a byte-order mark (also plain ASCII).
    case utf8
    /// UTF-8 starting with the byte-order mark `EF BB BF` (Excel's "CSV UTF-8").
    case utf8WithBOM
    /// UTF-16 little-endian, with the BOM `FF FE` or recognised by its zero high bytes.
    case utf16LE
    /// UTF-16 big-endian, with the BOM `FE FF` or recognised by its zero high bytes.
    case utf16BE
    /// Windows-1252 (a superset of Latin-1): chosen only for input that is not valid UTF-8 but is
    /// otherwise plausible text, and always reported with a ``CSVIssue/Kind/encodingFallback``
    /// warning.
    case windows1252

    /// A name to show a user, e.g. "UTF-16LE".
    public var displayName: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf8WithBOM: "UTF-8 (with BOM)"
        case .utf16LE: "UTF-16LE"
        case .utf16BE: "UTF-16BE"
        case .windows1252: "Windows-1252"
        }
    }

    /// Whether the input is UTF-16 of either byte order.
    public var isUTF16: Bool { self == .utf16LE || self == .utf16BE }
}
