import Foundation

/// CSV output that spreadsheets open safely: RFC 4180 quoting, and cells a spreadsheet would run
/// as a formula (`=`, `+`, `-`, `@`, tab or carriage return first) neutralised with a leading
/// apostrophe, as OWASP recommends against CSV injection.
public enum CSVCellEscaping {
    /// One CSV line (ending in CRLF) for `cells`, each neutralised and quoted.
    public static func line(_ cells: [String]) -> String {
        cells.map { quoted(neutralized($0)) }.joined(separator: ",") + "\r\n"
    }

    /// `cell` with a leading apostrophe when a spreadsheet would read it as a formula.
    public static func neutralized(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }

    /// `cell` in double quotes when it holds a comma, quote, CR or LF; quotes doubled.
    ///
    /// Checked byte by byte: `"\r\n"` is one `Character` (a grapheme cluster) equal to neither
    /// `"\r"` nor `"\n"`, so a `Character` test would leave a Windows line break unquoted.
    public static func quoted(_ cell: String) -> String {
        guard cell.utf8.contains(where: needsQuotes) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
