import Foundation
import Shared
import Testing

/// `JSONValue.parse`: numbers keep their exact text, everything else reads as Foundation's
/// `JSONDecoder` read it, and refusals name the line, column and reason.
@Suite("JSON parser")
struct JSONParserTests {
    static let numberSpellings = [
        "0", "-0", "7", "-12", "0.1", "1.5", "1.5E-7", "1.5e-7", "2E+3", "1e300", "-1.0", "3.0", "1e308", "-2.5E-300",
        "123456789012345", "1231231231231234", "12312312312312345", "1231231231231231234",
        "9007199254740993", "18446744073709551616", "123456789012345678901234567890", "0.30000000000000000000000001",
    ]

    @Test("a number's exact text survives parsing and writing", arguments: numberSpellings)
    func numbersRoundTripExactly(_ spelling: String) throws {
        let text = #"{"id":\#(spelling),"list":[\#(spelling)]}"#
        let value = try JSONValue.parse(Array(text.utf8))
        let number = JSONValue.number(try #require(JSONNumber(text: spelling)))
        #expect(value == .object(["id": number, "list": [number]]))
        #expect(value.objectMembers?["id"]?.scalarText == spelling)
        #expect(JSONText.encode(value) == text)
    }

    @Test(
        "ids of 15 to 19 digits are not turned into doubles",
        arguments: ["123456789012345", "1231231231231234", "12312312312312345", "1231231231231231234"]
    )
    func largeIdsKeepTheirDigits(_ id: String) throws {
        let value = try JSONValue.parse(Array(#"{"leadgen_id":\#(id)}"#.utf8))
        #expect(value.objectMembers?["leadgen_id"]?.scalarText == id)
        guard case .number(let number)? = value.objectMembers?["leadgen_id"] else {
            Issue.record("not a number: \(value)")
            return
        }
        #expect(number.int64Value == Int64(id))
        #expect(JSONText.encode(value) == #"{"leadgen_id":\#(id)}"#)
    }

    @Test(
        "whitespace, escapes, BOM, duplicate keys and trailing commas read as JSONDecoder read them",
        arguments: [
            " {\"a\" : [ 1 , true , null , \"x\" ] }\r\n",
            #"{"s":"\"\\\/\b\f\n\r\t\u00e9\uD834\uDD1E\u0000"}"#,
            "{\"a\":\"Zoë 👋 東京\"}",
            "\u{FEFF}{\"email\":\"a@example.com\"}",
            #"{"email":"first","email":"second"}"#,
            #"[{"email":"a@example.com",},]"#,
            "[]", "{}", "\"top\"", "true", "null",
        ]
    )
    func agreesWithJSONDecoder(_ text: String) throws {
        let parsed = try JSONValue.parse(Array(text.utf8))
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(parsed == decoded)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var body: String
        var reason: String
        var testDescription: String { body.debugDescription }
    }

    @Test(
        "invalid JSON is refused with the locator's line, column and reason",
        arguments: [
            Refusal(body: "{\"a\":1,\n \"b\" 2}", reason: "line 2, column 6 (byte 13): expected ':' after an object key, found '2'"),
            Refusal(body: "[1e400]", reason: "line 1, column 2 (byte 1): number 1e400 is out of range for a double"),
            Refusal(body: "[-1e400]", reason: "line 1, column 2 (byte 1): number -1e400 is out of range for a double"),
            Refusal(body: "[1e-400]", reason: "line 1, column 2 (byte 1): number 1e-400 is out of range for a double"),
            Refusal(body: "[01]", reason: "line 1, column 2 (byte 1): numbers must not have leading zeros"),
            Refusal(body: "[1.]", reason: "line 1, column 4 (byte 3): expected digits after the decimal point"),
            Refusal(body: "[-]", reason: "line 1, column 2 (byte 1): '-' must be followed by digits"),
            Refusal(body: "[+1]", reason: "line 1, column 2 (byte 1): expected a value, found '+'"),
            Refusal(body: "{\"a\":1} x", reason: "line 1, column 9 (byte 8): unexpected 'x' after the end of the JSON value"),
            Refusal(body: #"{"a":"\uD800"}"#, reason: #"line 1, column 7 (byte 6): high surrogate \uD800 not followed by a low surrogate escape"#),
            Refusal(body: #"{"a":"\uDC00"}"#, reason: #"line 1, column 7 (byte 6): lone low surrogate \uDC00 in a string"#),
            Refusal(body: "{\"a\":\"tab\there\"}", reason: "line 1, column 10 (byte 9): control character 0x9 inside a string (escape it)"),
            Refusal(body: "{\"a\":tru}", reason: "line 1, column 6 (byte 5): unexpected 't' (did you mean true? strings need double quotes)"),
            Refusal(
                body: String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
                reason: "line 1, column 512 (byte 511): nested more than 511 levels deep"
            ),
        ]
    )
    func refusesWithALocatedReason(_ refusal: Refusal) {
        #expect(throws: JSONParseError(description: refusal.reason)) { try JSONValue.parse(Array(refusal.body.utf8)) }
    }

    @Test func invalidUTF8IsRefused() {
        let body = Array(#"{"email":"a"#.utf8) + [0xFF, 0xC3] + Array(#"@example.com"}"#.utf8)
        #expect(throws: JSONParseError(description: "line 1, column 12 (byte 11): invalid UTF-8 byte 0xFF in a string")) {
            try JSONValue.parse(body)
        }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(#"{"a":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(#"{"a":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8)) }
    }

    @Test func deepNestingIsRefusedWithoutOverflowingTheStack() throws {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let allowed = Array(repeating: UInt8(ascii: "["), count: 511) + Array(repeating: UInt8(ascii: "]"), count: 511)
        #expect(try JSONValue.parse(allowed) == (0..<510).reduce(JSONValue.array([])) { inner, _ in .array([inner]) })
    }
}
