import Foundation
import Shared
import Testing

extension FuzzSuites {
    /// Property tests of the lead JSON path every JSON channel shares: `JSONValue.parse` →
    /// ``JSONValue`` → ``LeadInput`` → ``LeadNormalizer``. Random documents round-trip exactly;
    /// random and mutated bytes give an error or a value, and every value normalizes to a lead or
    /// field errors, never a crash.
    @Suite("Fuzz: lead JSON decoding and normalization")
    struct LeadJSONFuzzTests {
        static let regions = ["US", "GB", "DE", "FR", "IN", "BR", "AU", "JP", "ZZ", "", "us", "XX", "001"]

        @Test("random JSON documents decode to exactly the value written, and normalize without crashing")
        func roundTrip() async {
            await Fuzz.run("json.roundTrip", seed: 0x15_0000_0001, cases: 1_500) { generator in
                let value = RandomJSON.value(&generator, depth: 0, leadLike: generator.chance(2, in: 3))
                let text = RandomJSON.serialize(value, &generator)
                let decoded: JSONValue
                do {
                    decoded = try JSONValue.parse(Array(text.utf8))
                } catch {
                    return "valid JSON \(text.prefix(300).debugDescription) did not decode: \(error)"
                }
                // Numbers keep their spelling ("3.0", "-0", "1E5"); compared here by value.
                if RandomJSON.byValue(decoded) != value { return "decoded \(decoded) from \(text.prefix(300).debugDescription), expected \(value)" }
                return Self.normalizeProblem(decoded, &generator)
            }
        }

        @Test("mutated and random bytes: a decoding error or a value that normalizes, never a crash")
        func mutatedBytes() async {
            var errors = 0
            var values = 0
            await Fuzz.run("json.mutatedBytes", seed: 0x15_0000_0002, cases: 2_000) { generator in
                var bytes: [UInt8]
                if generator.chance(1, in: 5) {
                    bytes = (0..<generator.length(max: 200)).map { _ in
                        generator.pick(Array("{}[]\",:0123456789.eE+-tfnul\\ \u{1}".utf8) + [0x00, 0xC3, 0xFF, 0xED, 0xA0, 0x80])
                    }
                } else {
                    let value = RandomJSON.value(&generator, depth: 0, leadLike: true)
                    bytes = ByteMutator.mutate(Array(RandomJSON.serialize(value, &generator).utf8), &generator)
                }
                guard let value = try? JSONValue.parse(bytes) else {
                    errors += 1
                    // Every refused body gets a position, unless it looks like UTF-16/32 (NUL bytes up front).
                    if JSONSyntaxLocator.locate(bytes) == nil && !bytes.prefix(4).contains(0) {
                        return
                            "the parser refused \(String(decoding: bytes.prefix(120), as: UTF8.self).debugDescription) but the locator finds no problem"
                    }
                    return nil
                }
                values += 1
                return Self.normalizeProblem(value, &generator)
            }
            print("json.mutatedBytes: \(errors) decoding errors, \(values) values")
            #expect(errors > 0 && values > 0, "the mutations reach both outcomes")
        }

        /// Normalizes `value` as every JSON channel does (objects only) for a random region; checks
        /// the documented shape of the result.
        static func normalizeProblem(_ value: JSONValue, _ generator: inout SplitMix64) -> String? {
            guard case .object(let object) = value else { return nil }
            let input = LeadInput(object: object)
            switch LeadNormalizer(defaultRegion: generator.pick(regions)).normalize(input) {
            case .success(let lead):
                if lead.email == nil, lead.phoneRaw == nil { return "lead without email or phone accepted from \(object)" }
                if let email = lead.email, !email.contains("@") { return "email \(email.debugDescription) without @" }
                if let phone = lead.phone,
                    !(phone.hasPrefix("+") && phone.dropFirst().allSatisfy(\.isASCII) && phone.dropFirst().allSatisfy(\.isNumber))
                {
                    return "phone \(phone.debugDescription) is not E.164"
                }
                // A first name split off a full name may be up to twice the name limit (finding in docs/hostile-input.md).
                if lead.firstName.map({ $0.count > 2 * LeadNormalizer.maximumNameLength }) == true { return "first name over the limit" }
                if lead.notes.map({ $0.count > LeadNormalizer.maximumNotesLength }) == true { return "notes over the limit" }
            case .failure(let rejection):
                if rejection.errors.isEmpty { return "rejection without errors" }
            }
            return nil
        }

        // MARK: - Hostile documents

        struct Hostile: Sendable, CustomTestStringConvertible {
            var label: String
            var bytes: [UInt8]
            /// nil: must fail to decode; else the value it must decode to.
            var expected: JSONValue?
            var testDescription: String { label }
        }

        static let depth = 100_000

        static let hostile: [Hostile] = [
            Hostile(
                label: "100,000 nested arrays",
                bytes: Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
            ),
            Hostile(label: "100,000 unclosed arrays", bytes: Array(repeating: UInt8(ascii: "["), count: depth)),
            Hostile(
                label: "100,000 nested objects",
                bytes: Array(String(repeating: #"{"a":"#, count: depth).utf8) + [0x31] + Array(repeating: UInt8(ascii: "}"), count: depth)
            ),
            Hostile(label: "100,000 nested objects and arrays", bytes: Array(String(repeating: #"{"a":["#, count: depth / 2).utf8)),
            Hostile(
                label: "511 nested arrays (under the parser's depth limit)",
                bytes: Array(repeating: UInt8(ascii: "["), count: 511) + Array(repeating: UInt8(ascii: "]"), count: 511),
                expected: (0..<510).reduce(JSONValue.array([])) { inner, _ in .array([inner]) }
            ),
            Hostile(label: "1e400", bytes: Array(#"{"email":"a@example.com","n":1e400}"#.utf8)),
            Hostile(label: "-1e400", bytes: Array(#"[-1e400]"#.utf8)),
            Hostile(label: "1e-400 (not representable either)", bytes: Array(#"[1e-400]"#.utf8)),
            Hostile(label: "a 400-digit integer", bytes: Array("[\(String(repeating: "9", count: 400))]".utf8)),
            Hostile(
                label: "a 300-digit integer (kept digit for digit)",
                bytes: Array("[1\(String(repeating: "0", count: 300))]".utf8),
                expected: .array([.number(JSONNumber(text: "1" + String(repeating: "0", count: 300)) ?? 0)])
            ),
            Hostile(label: "invalid UTF-8 in a string", bytes: Array(#"{"email":"a"#.utf8) + [0xFF, 0xC3] + Array(#"@example.com"}"#.utf8)),
            Hostile(label: "an overlong UTF-8 encoding", bytes: Array(#"{"first_name":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8)),
            Hostile(label: "a UTF-8 encoded surrogate", bytes: Array(#"{"first_name":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)),
            Hostile(label: "a lone high surrogate escape", bytes: Array(#"{"first_name":"\uD800"}"#.utf8)),
            Hostile(label: "a lone low surrogate escape", bytes: Array(#"{"first_name":"\uDC00x"}"#.utf8)),
            Hostile(label: "a high surrogate escape before a non-surrogate escape", bytes: Array(#"{"first_name":"\uD800\u0041"}"#.utf8)),
            Hostile(
                label: "a valid surrogate pair escape",
                bytes: Array(#"{"first_name":"\uD834\uDD1E"}"#.utf8),
                expected: .object(["first_name": .string("𝄞")])
            ),
            Hostile(label: "an escaped NUL", bytes: Array(#"{"first_name":"a\u0000b"}"#.utf8), expected: .object(["first_name": .string("a\u{0}b")])),
            Hostile(label: "a raw NUL byte in a string", bytes: Array(#"{"first_name":"a"#.utf8) + [0x00] + Array(#"b"}"#.utf8)),
            Hostile(label: "a raw NUL byte between tokens", bytes: Array(#"{"a":1,"#.utf8) + [0x00] + Array(#""b":2}"#.utf8)),
            Hostile(
                label: "a UTF-8 byte-order mark (skipped)",
                bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"email":"a@example.com"}"#.utf8),
                expected: .object(["email": .string("a@example.com")])
            ),
            Hostile(label: "trailing garbage", bytes: Array(#"{"email":"a@example.com"} x"#.utf8)),
            Hostile(
                label: "a duplicate key (the first value wins)",
                bytes: Array(#"{"email":"a@example.com","email":"b@example.com"}"#.utf8),
                expected: .object(["email": .string("a@example.com")])
            ),
            Hostile(
                label: "a trailing comma (accepted by Foundation's parser)",
                bytes: Array(#"[{"email":"a@example.com",},]"#.utf8),
                expected: .array([.object(["email": .string("a@example.com")])])
            ),
            Hostile(label: "empty", bytes: []),
            Hostile(
                label: "UTF-16LE (detected and decoded)",
                bytes: CSVTestSupport.utf16(#"{"email":"a@example.com"}"#, bigEndian: false),
                expected: .object(["email": .string("a@example.com")])
            ),
        ]

        @Test("hostile JSON: a clear error or the exact value, never a crash or a stack overflow", arguments: hostile)
        func hostileDocument(_ hostile: Hostile) {
            let result = Result { () throws(JSONParseError) in try JSONValue.parse(hostile.bytes) }
            switch (result, hostile.expected) {
            case (.success(let value), let expected?):
                #expect(value == expected)
            case (.success(let value), nil):
                Issue.record("decoded \(String(describing: value).prefix(200)); expected an error")
            case (.failure(let error), let expected?):
                Issue.record("failed with \(error); expected \(String(describing: expected).prefix(200))")
            case (.failure(let error), nil):
                print("hostile JSON \(hostile.label): \(String(describing: error).prefix(300))")
                // Where it breaks, in the locator's words.
                #expect(error.description == JSONSyntaxLocator.locate(hostile.bytes)?.description, "the locator names where \(hostile.label) breaks")
            }
        }
    }
}

/// Random JSON values and a serializer that varies whitespace, escapes and number spellings.
enum RandomJSON {
    static let leadKeys = [
        "email", "phone", "first_name", "last_name", "name", "full_name", "notes", "zip", "postal_code",
        "external_id", "mobile", "Email Address", "p:phone", "source", "utm_source", "company",
    ]

    static func value(_ generator: inout SplitMix64, depth: Int, leadLike: Bool = false) -> JSONValue {
        if leadLike {
            var object: [String: JSONValue] = [:]
            for _ in 0..<generator.within(0...6) {
                object[generator.pick(leadKeys)] = generator.chance(3, in: 4) ? leadText(&generator) : value(&generator, depth: depth + 1)
            }
            return .object(object)
        }
        switch depth > 4 ? generator.below(4) : generator.below(6) {
        case 0: return .null
        case 1: return .bool(generator.chance(1, in: 2))
        case 2: return .number(JSONNumber(number(&generator)) ?? 0)
        case 3: return .string(FuzzText.string(&generator, maxLength: 40))
        case 4: return .array((0..<generator.within(0...4)).map { _ in value(&generator, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<generator.within(0...4) {
                object[FuzzText.string(&generator, maxLength: 8)] = value(&generator, depth: depth + 1)
            }
            return .object(object)
        }
    }

    static func leadText(_ generator: inout SplitMix64) -> JSONValue {
        switch generator.below(6) {
        case 0: .string("user\(generator.below(100))@example.com")
        case 1: .string("+1 201-555-\(1_000 + generator.below(9_000))")
        case 2: .number(JSONNumber(generator.below(1_000_000_000)))
        case 3: .string(FuzzText.string(&generator, maxLength: 300))
        case 4: .string(String(repeating: generator.pick(["a", "9", " ", "é"]), count: generator.within(0...25_000)))
        default: .string(FuzzText.string(&generator, maxLength: 20) + "@" + FuzzText.string(&generator, maxLength: 20))
        }
    }

    static func number(_ generator: inout SplitMix64) -> Double {
        switch generator.below(5) {
        case 0: Double(generator.within(-1_000...1_000))
        case 1: Double(Int64(bitPattern: generator.next()) >> generator.below(64))
        case 2: Double(generator.within(-1_000_000...1_000_000)) / 1_000
        case 3: generator.pick([0.0, -0.0, 1e300, -1e300, 5e-324, 1.7976931348623157e308, 9_007_199_254_740_992, 1e15, 1e16])
        default:
            // Any finite double.
            { () -> Double in
                while true {
                    let candidate = Double(bitPattern: generator.next())
                    if candidate.isFinite { return candidate }
                }
            }()
        }
    }

    /// `value` with every number respelled as `JSONNumber(Double)` spells its double.
    static func byValue(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let number): .number(JSONNumber(number.doubleValue) ?? 0)
        case .array(let elements): .array(elements.map(byValue))
        case .object(let members): .object(members.mapValues(byValue))
        case .null, .bool, .string: value
        }
    }

    static func serialize(_ value: JSONValue, _ generator: inout SplitMix64) -> String {
        let space = generator.chance(1, in: 4) ? generator.pick([" ", "\n", "\t", "\r\n  "]) : ""
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let exact):
            let number = exact.doubleValue
            if number == number.rounded(), abs(number) < 1e15, generator.chance(1, in: 2) {
                let integer = Int64(number)
                return number.sign == .minus && integer == 0 ? "-0" : String(integer) + (generator.chance(1, in: 4) ? ".0" : "")
            }
            let text = "\(number)"
            return generator.chance(1, in: 3) ? text.replacingOccurrences(of: "e", with: "E") : text
        case .string(let text): return string(text, &generator)
        case .array(let elements):
            return "[" + space + elements.map { serialize($0, &generator) }.joined(separator: "," + space) + space + "]"
        case .object(let object):
            let members = object.sorted { $0.key < $1.key }.map { string($0.key, &generator) + space + ":" + space + serialize($0.value, &generator) }
            return "{" + space + members.joined(separator: "," + space) + space + "}"
        }
    }

    static func string(_ text: String, _ generator: inout SplitMix64) -> String {
        var out = "\""
        let escapeAll = generator.chance(1, in: 6)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n" where generator.chance(1, in: 2): out += "\\n"
            case "\t" where generator.chance(1, in: 2): out += "\\t"
            case "/" where generator.chance(1, in: 2): out += "\\/"
            default:
                if scalar.value < 0x20 || escapeAll || generator.chance(1, in: 10) {
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16, uppercase: generator.chance(1, in: 2))
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
