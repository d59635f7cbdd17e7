import Shared
import Testing

@Suite("SMS segments (GSM-7 and UCS-2)")
struct SMSSegmentsTests {
    static func repeated(_ text: String, _ times: Int) -> String { String(repeating: text, count: times) }

    /// (what, text, encoding, segments, units)
    static let cases: [(String, String, SMSEncoding, Int, Int)] = [
        ("empty", "", .gsm7, 0, 0),
        ("GSM 160", repeated("a", 160), .gsm7, 1, 160),
        ("GSM 161", repeated("a", 161), .gsm7, 2, 161),
        ("GSM 306", repeated("a", 306), .gsm7, 2, 306),
        ("GSM 307", repeated("a", 307), .gsm7, 3, 307),
        ("GSM 459", repeated("a", 459), .gsm7, 3, 459),
        ("GSM 460", repeated("a", 460), .gsm7, 4, 460),
        ("€ ×80 is 160 septets", repeated("€", 80), .gsm7, 1, 160),
        ("€ ×81 is 162 septets", repeated("€", 81), .gsm7, 2, 162),
        ("extension table", "^{}\\[~]|€\u{0C}", .gsm7, 1, 20),
        ("escape pair not split at 153", repeated("a", 152) + "€" + repeated("a", 152), .gsm7, 3, 306),
        ("escape pair ending a part exactly", repeated("a", 151) + "€" + repeated("a", 153), .gsm7, 2, 306),
        ("CRLF and accents of the basic table", "Café à l'école\r\nÑandu ¿qué? 100£ §5 ΔΩ", .gsm7, 1, 38),
        ("ú is not in the GSM table", "Ñandú", .ucs2, 1, 5),
        ("Hebrew 70", repeated("א", 70), .ucs2, 1, 70),
        ("Hebrew 71", repeated("א", 71), .ucs2, 2, 71),
        ("Hebrew 134", repeated("א", 134), .ucs2, 2, 134),
        ("Hebrew 135", repeated("א", 135), .ucs2, 3, 135),
        ("emoji 35 (70 units)", repeated("😀", 35), .ucs2, 1, 70),
        ("emoji 36 (72 units)", repeated("😀", 36), .ucs2, 2, 72),
        ("surrogate pair not split at 67", repeated("א", 66) + "😀" + repeated("א", 66), .ucs2, 3, 134),
        ("ZWJ family and skin tone", "👨‍👩‍👧 👋🏽", .ucs2, 1, 13),
        ("mixed Latin and Hebrew", "Hi דני, your code is 1234", .ucs2, 1, 25),
        ("one character outside GSM (ê)", repeated("a", 69) + "ê", .ucs2, 1, 70),
        ("a curly apostrophe forces UCS-2", repeated("a", 70) + "’", .ucs2, 2, 71),
    ]

    @Test("segments, encoding and length", arguments: cases)
    func segments(_ what: String, _ text: String, _ encoding: SMSEncoding, _ count: Int, _ units: Int) {
        let segments = SMSSegments(text: text)
        #expect(segments.encoding == encoding, "\(what)")
        #expect(segments.count == count, "\(what)")
        #expect(segments.units == units, "\(what)")
    }

    @Test func encodingRawValuesAreTheStoredOnes() {
        #expect(SMSEncoding.allCases.map(\.rawValue) == ["gsm7", "ucs2"])
        #expect(SMSEncoding(rawValue: "ucs2") == .ucs2)
    }
}
