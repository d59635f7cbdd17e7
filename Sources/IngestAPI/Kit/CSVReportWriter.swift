import Foundation

/// Writes CSV text for reports users open in a spreadsheet: RFC 4180 quoting, and cells that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) neutralised
/// with a leading apostrophe, as OWASP recommends against CSV injection.
enum CSVReportWriter {
    /// One CSV line (with CRLF) for `cells`.
    static func line(_ cells: [String]) -> String {
        cells.map { quoted(neutralized($0)) }.joined(separator: ",") + "\r\n"
    }

    /// `cell` with a leading apostrophe when a spreadsheet would read it as a formula.
    static func neutralized(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }

    /// `cell` in double quotes when it holds a comma, quote or line break; quotes doubled.
    static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
