import Foundation
import Shared
import Testing

/// `JSONNumber`: the grammar it accepts, exact integer access, and the `Codable` path typed
/// documents still use.
@Suite("JSON number")
struct JSONNumberTests {
    @Test(arguments: ["0", "-0", "12", "1.5E-7", "2e+3", "1231231231231231234", "1e400"])
    func acceptsTheJSONGrammar(_ text: String) {
        #expect(JSONNumber(text: text)?.text == text)
    }

    @Test(arguments: ["", "-", "+1", "01", "1.", ".5", "1e", "0x10", " 1", "1 ", "NaN", "Infinity", "1_000"])
    func refusesWhatIsNotAJSONNumber(_ text: String) {
        #expect(JSONNumber(text: text) == nil)
    }

    @Test(arguments: [
        ("12", Int64(12)), ("-7", -7), ("-0", 0), ("1.0", 1), ("2e3", 2_000), ("1.50e1", 15), ("0.5e1", 5),
        ("1231231231231231234", 1_231_231_231_231_231_234), ("9223372036854775807", .max), ("-9223372036854775808", .min),
    ])
    func int64ValueIsExact(_ text: String, _ expected: Int64) {
        #expect(JSONNumber(text: text)?.int64Value == expected)
    }

    @Test(arguments: ["1.5", "9223372036854775808", "1e19", "1e400", "0.1e1000", "12345678901234567890123"])
    func int64ValueIsNilRatherThanRounded(_ text: String) {
        #expect(JSONNumber(text: text)?.int64Value == nil)
    }

    @Test func doublesAndLiteralsAreSpelledAsBefore() {
        // `JSONNumber(3.0)` would be the literal; these go through `init?(_: Double)`.
        #expect(JSONNumber(Double(3.0))?.text == "3")
        #expect(JSONNumber(Double(1.5))?.text == "1.5")
        #expect(JSONNumber(Double(1e20))?.text == "1e+20")
        #expect(JSONNumber(Double.infinity) == nil)
        #expect(JSONValue.number(7) == .number(JSONNumber(7)))
        #expect(JSONValue(floatLiteral: 2019.0) == .number(JSONNumber(2019)))
        #expect(JSONNumber(text: "1231231231231231234")?.doubleValue == 1.2312312312312312e18)
    }

    @Test("typed documents decoded with JSONDecoder keep integer digits")
    func codableKeepsIntegerDigits() throws {
        let text = #"{"big":1231231231231231234,"huge":123456789012345678901234567890,"frac":0.1,"small":-12}"#
        let decoded = try JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))
        #expect(decoded["big"]?.scalarText == "1231231231231231234")
        #expect(decoded["huge"]?.scalarText == "123456789012345678901234567890")
        #expect(decoded["frac"]?.scalarText == "0.1")
        #expect(decoded["small"]?.scalarText == "-12")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(
            String(decoding: try encoder.encode(decoded), as: UTF8.self)
                == #"{"big":1231231231231231234,"frac":0.1,"huge":123456789012345678901234567890,"small":-12}"#
        )
    }
}
