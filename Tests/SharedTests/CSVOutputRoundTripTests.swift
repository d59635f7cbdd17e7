import CSVReader
import Foundation
import Shared
import TestSupport
import Testing

/// CSV output (``CSVCellEscaping``) read back by a standard CSV reader (Python's `csv`) gives the
/// cells that were written, after the documented apostrophe in front of formula-like cells.
@Suite("CSV output round trip")
struct CSVOutputRoundTripTests {
    @Test("a cell holding CR LF is quoted", arguments: ["Once upon \r\na time", "\r\n", "a\n\rb", "a\rb", "a\nb"])
    func lineBreaksAreQuoted(cell: String) {
        #expect(CSVCellEscaping.quoted(cell) == "\"" + cell + "\"")
    }

    @Test("random cells written by CSVCellEscaping.line read back the same", arguments: [UInt64(1), 2, 3, 4])
    func randomCellsRoundTrip(seed: UInt64) async throws {
        var cells = HardCSVCells(seed: seed)
        let rows = (0..<150).map { _ in (0..<4).map { _ in cells.next() } }
        let text = rows.map(CSVCellEscaping.line).joined()
        let read = try await StandardCSVReader.rows(of: Array(text.utf8))
        #expect(read.count == rows.count, "seed \(seed)")
        for (index, (written, got)) in zip(rows, read).enumerated() {
            #expect(got == written.map(HardCSVCells.neutralized), "seed \(seed), row \(index)")
        }
    }
}
