import Shared
import Testing

@Suite("Sheet column letters")
struct SheetColumnLettersTests {
    @Test(arguments: [
        (0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD"),
    ])
    func lettersCountFromColumnA(offset: Int, letters: String) {
        #expect(SheetColumnLetters.letters(offset: offset, from: "A") == letters)
    }

    @Test(arguments: [
        ("C", 0, "C"), ("C", 2, "E"), ("C", 23, "Z"), ("C", 24, "AA"), ("Z", 1, "AA"), ("AA", 0, "AA"), ("AZ", 1, "BA"), ("c", 1, "D"),
        ("ZZ", 1, "AAA"),
    ])
    func lettersCountFromAnyFirstColumn(first: String, offset: Int, letters: String) {
        #expect(SheetColumnLetters.letters(offset: offset, from: first) == letters)
    }
}
