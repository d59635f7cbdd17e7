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

    /// `cell` in double quotes when it holds a comma, quote or line break; quotes doubled.
    public static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
