import Foundation

/// A seeded source of CSV cells that are hard to write correctly: CR, LF, CRLF, LFCR, quotes,
/// commas, formula prefixes (`=` `+` `-` `@` tab CR), apostrophes, spaces and non-ASCII text
/// (accents precomposed and combining, Hebrew, CJK, emoji with joiners). The same seed gives the
/// same cells, so a failing case names the seed that reproduces it.
public struct HardCSVCells: Sendable {
    private var state: UInt64

    /// Pieces a cell is built from.
    public static let pieces: [String] = [
        "\r", "\n", "\r\n", "\n\r", "\"", "\"\"", ",", ";", "'", " ", "\t", "=", "+", "-", "@",
        "a", "Once upon", "42", "=SUM(A1:A2)", "@cmd", "-1+2", "x,y", "שלום", "עברית טובה", "😀", "👨‍👩‍👧", "é", "e\u{301}",
        "ß", "中文", "Ünïcödé",
    ]

    /// A generator starting from `seed`.
    public init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed  // xorshift never leaves 0
    }

    /// The next cell: up to six pieces, sometimes empty.
    public mutating func next() -> String {
        let count = Int(nextRandom() % 7)
        var cell = ""
        for _ in 0..<count { cell += Self.pieces[Int(nextRandom() % UInt64(Self.pieces.count))] }
        return cell
    }

    /// `cell` as a spreadsheet-safe writer must give it back: with the documented leading
    /// apostrophe when it starts with `=`, `+`, `-`, `@`, tab or CR.
    public static func neutralized(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }

    /// `cell` always in double quotes (quotes doubled), as input independent of the writer under test.
    public static func alwaysQuoted(_ cell: String) -> String {
        "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// xorshift64* (Vigna 2016).
    private mutating func nextRandom() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
