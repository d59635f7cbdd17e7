import Foundation
import Shared
import Testing

@Suite("JSON syntax locator: where a refused body breaks")
struct JSONSyntaxLocatorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var body: String
        /// The problem's description, or nil for well-formed JSON.
        var expected: String?
        var testDescription: String { body.debugDescription }
    }

    static let cases: [Case] = [
        Case(body: #"{"email": "a@example.com"}"#, expected: nil),
        Case(body: "[1, -0.5e+3, true, false, null, \"\\u00e9\\uD834\\uDD1E\\n\", {}]", expected: nil),
        Case(body: "  \n", expected: "line 2, column 1 (byte 3): the body ends where a value was expected"),
        Case(body: "", expected: "line 1, column 1 (byte 0): the body is empty"),
        Case(body: #"{"email" "a@example.com"}"#, expected: "line 1, column 10 (byte 9): expected ':' after an object key, found '\"'"),
        Case(body: "{\"a\": 1\n \"b\": 2}", expected: "line 2, column 2 (byte 9): expected ',' or '}' after an object member, found '\"'"),
        Case(body: #"{email: "x"}"#, expected: "line 1, column 2 (byte 1): expected a quoted object key, found 'e'"),
        Case(body: #"{'email': "x"}"#, expected: "line 1, column 2 (byte 1): strings and keys need double quotes, found a single quote"),
        Case(body: #"{"email": 'x'}"#, expected: "line 1, column 11 (byte 10): strings and keys need double quotes, found a single quote"),
        Case(body: #"{"a": 1,}"#, expected: "line 1, column 9 (byte 8): trailing comma before '}'"),
        Case(body: "[1, 2,]", expected: "line 1, column 7 (byte 6): trailing comma before ']'"),
        Case(body: #"{"a": tru}"#, expected: "line 1, column 7 (byte 6): unexpected 't' (did you mean true? strings need double quotes)"),
        Case(body: #"{"a": "open"#, expected: "line 1, column 7 (byte 6): unterminated string (no closing '\"')"),
        Case(body: #"{"a": "x\"#, expected: "line 1, column 7 (byte 6): unterminated string (no closing '\"')"),
        Case(body: #"{"a": "x\q"}"#, expected: #"line 1, column 9 (byte 8): invalid escape '\q' in a string"#),
        Case(body: #"{"a": "\u12"}"#, expected: #"line 1, column 8 (byte 7): invalid \u escape in a string (needs four hex digits)"#),
        Case(body: #"{"a": "\uDC00"}"#, expected: #"line 1, column 8 (byte 7): lone low surrogate \uDC00 in a string"#),
        Case(body: "{\"a\": \"tab\there\"}", expected: "line 1, column 11 (byte 10): control character 0x9 inside a string (escape it)"),
        Case(body: #"{"a": 01}"#, expected: "line 1, column 7 (byte 6): numbers must not have leading zeros"),
        Case(body: #"{"a": 1.}"#, expected: "line 1, column 9 (byte 8): expected digits after the decimal point"),
        Case(body: #"{"a": 1e}"#, expected: "line 1, column 9 (byte 8): expected digits in the exponent"),
        Case(body: #"{"a": 1e-400}"#, expected: "line 1, column 7 (byte 6): number 1e-400 is out of range for a double"),
        Case(body: #"{"a": -}"#, expected: "line 1, column 7 (byte 6): '-' must be followed by digits"),
        Case(body: #"{"a": 1} {"b": 2}"#, expected: "line 1, column 10 (byte 9): unexpected '{' after the end of the JSON value"),
        Case(body: #"[{"a": 1}"#, expected: "line 1, column 10 (byte 9): the body ends inside an unclosed array"),
        Case(body: #"{"a": [1, 2}"#, expected: "line 1, column 12 (byte 11): expected ',' or ']' after an array element, found '}'"),
        Case(body: "\u{FEFF}{\"a\": }", expected: "line 1, column 10 (byte 9): expected a value, found '}'"),
    ]

    @Test("names the line, column and reason of the first problem", arguments: cases)
    func locates(_ testCase: Case) {
        #expect(JSONSyntaxLocator.locate(Array(testCase.body.utf8))?.description == testCase.expected)
    }

    @Test("agrees with the parser: every case it calls well-formed decodes, every other one is refused", arguments: cases)
    func agreesWithTheParser(_ testCase: Case) {
        let decodes = (try? JSONDecoder().decode(JSONValue.self, from: Data(testCase.body.utf8))) != nil
        // Foundation tolerates trailing commas; the locator only runs after a refusal, so it may be stricter.
        if testCase.expected?.contains("trailing comma") == true { return }
        #expect(decodes == (testCase.expected == nil))
    }

    @Test("invalid UTF-8 is located at the offending byte, overlong forms included")
    func invalidUTF8() {
        let overlong = Array(#"{"a": "x"#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8)
        #expect(JSONSyntaxLocator.locate(overlong)?.description == "line 1, column 9 (byte 8): invalid UTF-8 byte 0xC0 in a string")
        let encodedSurrogate = Array(#"{"a": ""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)
        #expect(JSONSyntaxLocator.locate(encodedSurrogate)?.offset == 7)
        let valid = Array(#"{"a": "é😀"}"#.utf8)
        #expect(JSONSyntaxLocator.locate(valid) == nil)
    }

    @Test("nesting: 511 levels are fine, the 512th is named, and 100,000 do not overflow the stack")
    func nesting() {
        let fine = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        #expect(JSONSyntaxLocator.locate(Array(fine.utf8)) == nil)
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(JSONSyntaxLocator.locate(deep)?.description == "line 1, column 512 (byte 511): nested more than 511 levels deep")
    }

    @Test("the API's message: the location when there is one, else the parser's own words")
    func explain() {
        let broken = Array(#"{"a" 1}"#.utf8)
        let brokenError = Result { try JSONDecoder().decode(JSONValue.self, from: Data(broken)) }
        if case .failure(let error) = brokenError {
            #expect(JSONSyntaxLocator.explain(error, in: broken) == "line 1, column 6 (byte 5): expected ':' after an object key, found '1'")
        } else {
            Issue.record("the parser accepted a missing colon")
        }
        let huge = Array(#"{"a": 1e400}"#.utf8)
        if case .failure(let error) = Result(catching: { try JSONDecoder().decode(JSONValue.self, from: Data(huge)) }) {
            #expect(JSONSyntaxLocator.explain(error, in: huge) == "line 1, column 7 (byte 6): number 1e400 is out of range for a double")
        } else {
            Issue.record("the parser accepted 1e400")
        }
        // A body the locator reads as well-formed (UTF-16 here): the decoder's own words.
        let utf16 = Array("[1,".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        if case .failure(let error) = Result(catching: { try JSONDecoder().decode(JSONValue.self, from: Data(utf16)) }) {
            #expect(JSONSyntaxLocator.explain(error, in: utf16) == "The given data was not valid JSON.")
        } else {
            Issue.record("the parser accepted a truncated UTF-16 array")
        }
    }
}
