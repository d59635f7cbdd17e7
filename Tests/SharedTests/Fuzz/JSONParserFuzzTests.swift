import Foundation
import Shared
import Testing

extension FuzzSuites {
    /// Differential test of `JSONValue.parse` against Foundation's `JSONDecoder`, which the JSON
    /// channels used before numbers had to keep their exact text.
    @Suite("Fuzz: JSON parser against JSONDecoder")
    struct JSONParserFuzzTests {
        @Test("mutated and random bytes: parsed exactly when JSONDecoder decodes them, refused with a location otherwise")
        func agreesWithJSONDecoderOnMutatedBytes() async {
            await Fuzz.run("json.parserAgreesWithDecoder", seed: 0x15_0000_0003, cases: 2_000) { generator in
                let value = RandomJSON.value(&generator, depth: 0, leadLike: generator.chance(1, in: 2))
                var bytes = Array(RandomJSON.serialize(value, &generator).utf8)
                if generator.chance(2, in: 3) { bytes = ByteMutator.mutate(bytes, &generator) }
                let decoded = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
                let parsed = Result { () throws(JSONParseError) in try JSONValue.parse(bytes) }
                switch (parsed, decoded) {
                case (.success(let parsed), let decoded?):
                    if RandomJSON.byValue(parsed) != RandomJSON.byValue(decoded) { return "parsed \(parsed), decoder gave \(decoded)" }
                case (.success(let parsed), nil):
                    return "parsed \(parsed) from \(String(decoding: bytes.prefix(200), as: UTF8.self).debugDescription), which JSONDecoder refuses"
                case (.failure(let error), _?):
                    return "refused \(String(decoding: bytes.prefix(200), as: UTF8.self).debugDescription) (\(error)), which JSONDecoder reads"
                case (.failure(let error), nil):
                    // UTF-16/32-looking bodies (a byte order mark or NUL up front) are Foundation's to explain.
                    let wide = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.prefix(4).contains(0)
                    if !wide, error.description != JSONSyntaxLocator.locate(bytes)?.description {
                        return "refusal \(error) is not the locator's"
                    }
                }
                return nil
            }
        }
    }
}
