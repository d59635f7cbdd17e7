import Foundation
import Shared
import Testing

/// The hand-written JSON writer must produce exactly what `JSONEncoder` (sorted keys, slashes
/// unescaped) produces for the same values: stored JSON and API answers do not change with it.
/// Numbers are the exception by design: the writer keeps their exact text (`JSONNumberTests`);
/// the numbers here are spelled the way `JSONEncoder` spells them, so the texts still agree.
@Suite("JSON writer")
struct JSONValueWriterTests {
    static func encoderText(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(
        arguments: [
            [:],
            ["email": .string("a@example.com"), "phone": .string("+1 (201) 555-0100")],
            [
                "quote": .string(#"say "hi" \ back/slash"#), "control": .string("tab\tnew\nline\r\u{08}\u{0C}\u{01}\u{1F}"),
                "unicode": .string("Zoë 👋 東京 \u{2028}"),
            ],
            [
                "n": .number(0), "neg": .number(-12), "frac": .number(1.5), "small": .number(0.1), "big": .number(123_456_789_012),
                "huge": .number(1e20), "tiny": .number(5e-7), "third": .number(JSONNumber(1.0 / 3.0) ?? 0),
            ],
            ["t": .bool(true), "f": .bool(false), "nothing": .null],
            ["nested": .object(["b": .array([.number(1), .string("x"), .null, .object([:]), .array([])]), "a": .object(["z": .bool(true)])])],
            ["Which location?": .string("Edina"), "ad_name": .string("Spring Promo"), "B": .string("upper before lower")],
        ] as [[String: JSONValue]]
    )
    func writesWhatJSONEncoderWrites(_ object: [String: JSONValue]) throws {
        #expect(JSONText.encode(object) == (try Self.encoderText(object)))
        #expect(JSONText.encode(JSONValue.object(object)) == (try Self.encoderText(JSONValue.object(object))))
    }

    @Test(
        arguments: [
            [:],
            ["content-type": "application/json", "user-agent": "Zapier", "x-quote": #"a"b\c"#, "x-ctl": "a\u{7}b"],
        ] as [[String: String]]
    )
    func writesStringMapsAsJSONEncoderDoes(_ headers: [String: String]) throws {
        #expect(JSONText.encode(headers) == (try Self.encoderText(headers)))
    }

    @Test func randomValuesRoundTripAndMatchJSONEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        func random(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 2 ? 4 : 6), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2:
                return Bool.random(using: &generator)
                    ? .number(JSONNumber(Int.random(in: -1_000_000...1_000_000, using: &generator)))
                    : .number(JSONNumber(Double.random(in: -1e6...1e6, using: &generator)) ?? 0)
            case 3:
                return .string(
                    String(
                        (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                            Character(
                                Unicode.Scalar(
                                    [0x09, 0x0A, 0x22, 0x5C, 0x2F, 0x41, 0x7A, 0xE9, 0x1F600, 0x01].randomElement(using: &generator) ?? 0x41
                                ) ?? "A"
                            )
                        }
                    )
                )
            case 4: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in random(depth + 1) })
            default:
                return .object(
                    Dictionary(
                        (0..<Int.random(in: 0...4, using: &generator)).map {
                            ("k\($0)\(Int.random(in: 0...9, using: &generator))", random(depth + 1))
                        }
                    ) { a, _ in a }
                )
            }
        }
        for _ in 0..<500 {
            let value = random(0)
            let text = JSONText.encode(value)
            #expect(text == (try Self.encoderText(value)), "\(value)")
            #expect(try JSONValue.parse(Array(text.utf8)) == value)
        }
    }
}
