import Foundation
import Shared
import Testing

extension FuzzSuites {
    /// Property tests of the webhook parsers and signature checks of every preset (generic/Zapier,
    /// Meta, monday, Shopmonkey): random and mutated payloads from `../shared/fixtures/webhooks` give
    /// a documented rejection or a result, never a crash; any lead they yield normalizes.
    @Suite("Fuzz: webhook payloads and signatures")
    struct WebhookFuzzTests {
        /// A parser under test: its name, the statuses its documentation allows, and a call that
        /// returns the lead objects it produced.
        struct Parser: Sendable {
            var name: String
            var statuses: Set<Int>
            var parse: @Sendable ([UInt8], String?) throws(WebhookRejection) -> [[String: JSONValue]]
        }

        static let parsers: [Parser] = [
            Parser(name: "generic", statuses: [400, 415, 422]) { body, contentType throws(WebhookRejection) in
                try GenericWebhookPayload.items(body: body, contentType: contentType)
            },
            Parser(name: "meta.changes", statuses: [400, 422]) { body, _ throws(WebhookRejection) in
                try MetaLeadgenPayload.changes(body: body).map { change in
                    ["leadgen_id": .string(change.leadgenId), "page_id": change.pageId.map(JSONValue.string) ?? .null]
                }
            },
            Parser(name: "meta.graphLead", statuses: [502]) { body, _ throws(WebhookRejection) in
                [try MetaLeadgenPayload.graphLead(body: body)]
            },
            Parser(name: "monday.event", statuses: [400, 422]) { body, _ throws(WebhookRejection) in
                switch try MondayPayload.event(body: body) {
                case .challenge(let text): return [["challenge": .string(text)]]
                case .createPulse(_, _, let name, let columnValues): return [MondayPayload.pulseFields(name: name, columnValues: columnValues)]
                case .other: return []
                }
            },
            Parser(name: "monday.itemFields", statuses: [502]) { body, _ throws(WebhookRejection) in
                [try MondayPayload.itemFields(body: body)]
            },
            Parser(name: "shopmonkey", statuses: [400, 422]) { body, _ throws(WebhookRejection) in
                switch try ShopmonkeyPayload.event(body: body) {
                case .customer(let lead): return [lead]
                case .ignored: return []
                }
            },
        ]

        static let fixtureNames = [
            "zapier.json", "zapier_array.json", "zapier_form.txt", "facebook_leadgen.json", "facebook_graph_lead_444000.json",
            "facebook_graph_lead_444001.json", "monday_challenge.json", "monday_create_pulse.json", "monday_item_query_response.json",
            "shopmonkey_customer_insert.json",
        ]

        static let contentTypes: [String?] = [
            nil, "application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=iso-8859-1", "text/plain", "application/vnd.api+json", "multipart/form-data",
            "", ";;;", "application/json; charset=\"\u{0}\"",
        ]

        @Test("mutated fixtures, fed to every parser: a documented rejection or leads that normalize")
        func mutatedPayloads() async throws {
            let fixtures = try Self.fixtureNames.map { try WebhookFixture.bytes($0) }
            var accepted = 0
            var rejected = 0
            await Fuzz.run("webhooks.mutatedPayloads", seed: 0x3EB_0000_0001, cases: 1_500) { generator in
                let original = generator.pick(fixtures)
                let body: [UInt8]
                switch generator.below(3) {
                case 0: body = ByteMutator.mutate(original, &generator)
                case 1: body = JSONMutator.mutate(original, &generator)
                default: body = ByteMutator.mutate(JSONMutator.mutate(original, &generator), &generator, rounds: 1)
                }
                let contentType = generator.pick(Self.contentTypes)
                for parser in Self.parsers {
                    do throws(WebhookRejection) {
                        let leads = try parser.parse(body, contentType)
                        accepted += 1
                        for lead in leads {
                            if let problem = LeadJSONFuzzTests.normalizeProblem(.object(lead), &generator) { return "\(parser.name): \(problem)" }
                        }
                    } catch {
                        rejected += 1
                        if !parser.statuses.contains(error.status) || error.outcome != "rejected" || error.reason.isEmpty {
                            return "\(parser.name) answered \(error) for \(String(decoding: body.prefix(300), as: UTF8.self).debugDescription)"
                        }
                    }
                }
                return nil
            }
            print("webhooks.mutatedPayloads: \(accepted) parses, \(rejected) rejections")
            #expect(accepted > 400 && rejected > 1_000, "mutations reach both outcomes")
        }

        @Test("random bytes and random JSON, fed to every parser: a documented rejection or a result")
        func randomPayloads() async {
            await Fuzz.run("webhooks.randomPayloads", seed: 0x3EB_0000_0002, cases: 3_000) { generator in
                let body: [UInt8]
                switch generator.below(3) {
                case 0: body = generator.bytes(generator.length(max: 300))
                case 1: body = Array(RandomJSON.serialize(RandomJSON.value(&generator, depth: 0), &generator).utf8)
                default: body = Array(FuzzText.string(&generator, maxLength: 200).utf8)
                }
                let contentType = generator.pick(Self.contentTypes)
                for parser in Self.parsers {
                    do throws(WebhookRejection) {
                        _ = try parser.parse(body, contentType)
                    } catch {
                        if !parser.statuses.contains(error.status) || error.reason.isEmpty { return "\(parser.name) answered \(error)" }
                    }
                }
                return nil
            }
        }

        // MARK: - Signatures

        @Test("Meta and generic HMAC headers: random or mutated headers and bodies are 401, the genuine pair passes")
        func hmacSignatures() async throws {
            let body = try WebhookFixture.bytes("facebook_leadgen.json")
            let secret = try WebhookFixture.text("facebook_leadgen.secret")
            let signature = try WebhookFixture.text("facebook_leadgen.sig")
            #expect(throws: Never.self) { try WebhookSignatures.verifyMeta(body: body, header: signature, appSecret: secret) }
            await Fuzz.run("webhooks.hmac", seed: 0x3EB_0000_0003, cases: 3_000) { generator in
                var header: String? = signature
                var candidateBody = body
                switch generator.below(4) {
                case 0: header = String(decoding: ByteMutator.mutate(Array(signature.utf8), &generator), as: UTF8.self)
                case 1: candidateBody = ByteMutator.mutate(body, &generator)
                case 2: header = generator.chance(1, in: 4) ? nil : FuzzText.string(&generator, maxLength: 80)
                default:
                    header =
                        "sha256=" + String((0..<generator.pick([0, 63, 64, 65, 128])).map { _ in generator.pick(Array("0123456789abcdefABCDEFg ")) })
                }
                let genuine = candidateBody == body && header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } == signature.lowercased()
                for meta in [true, false] {
                    let key = generator.chance(1, in: 20) ? "" : secret
                    do throws(WebhookRejection) {
                        if meta {
                            try WebhookSignatures.verifyMeta(body: candidateBody, header: header, appSecret: key)
                        } else {
                            try WebhookSignatures.verifyGeneric(body: candidateBody, header: header, secret: key)
                        }
                        if key.isEmpty { return "accepted with an empty secret" }
                        if !genuine {
                            return "accepted header \(header.debugDescription) for a \(candidateBody == body ? "genuine" : "mutated") body"
                        }
                    } catch {
                        if error.status != 401 || error.outcome != "bad_signature" { return "answered \(error)" }
                    }
                }
                return nil
            }
        }

        /// Timestamps around and far outside the ±5 minute window, including Int64's extremes.
        static func timestamp(_ generator: inout SplitMix64, now: Int64) -> String {
            switch generator.below(6) {
            case 0: return String(now + Int64(generator.within(-600...600)))
            case 1: return String(generator.pick([Int64.min, Int64.min + 1, Int64.max, Int64.max - 1, 0, -1, -now, now * 1_000]))
            case 2: return String(Int64(bitPattern: generator.next()))
            case 3: return String(Int64(bitPattern: generator.next()) >> generator.below(64))
            case 4: return FuzzText.string(&generator, maxLength: 20)
            default: return generator.pick(["", " ", "1e9", "0x10", "+\(now)", "\(now).5", "99999999999999999999", "-9223372036854775809"])
            }
        }

        @Test(
            "Standard Webhooks (Shopmonkey): signed with any timestamp, or with mutated headers, is accepted within ±5 minutes or 401, never a crash"
        )
        func standardWebhooks() async throws {
            let body = try WebhookFixture.bytes("shopmonkey_customer_insert.json")
            let secret = try WebhookFixture.text("shopmonkey.secret")
            let now = Date()
            let nowSeconds = Int64(now.timeIntervalSince1970)
            await Fuzz.run("webhooks.standardWebhooks", seed: 0x3EB_0000_0004, cases: 3_000) { generator in
                let id = generator.chance(1, in: 5) ? FuzzText.string(&generator, maxLength: 30) : "msg_\(generator.below(1_000))"
                let timestamp = Self.timestamp(&generator, now: nowSeconds)
                var signature = WebhookSignatures.standardWebhookSignature(id: id, timestamp: timestamp, body: body, secret: secret)
                let mutated = generator.chance(1, in: 3)
                if mutated {
                    signature =
                        generator.chance(1, in: 2)
                        ? String(decoding: ByteMutator.mutate(Array(signature.utf8), &generator), as: UTF8.self)
                        : generator.pick(["v1,", "v1", "v2,\(signature.dropFirst(3))", "\(signature) \(signature)", "v1,!!!!", " v1,a ", ""])
                            + FuzzText.string(&generator, maxLength: 4)
                }
                do throws(WebhookRejection) {
                    try WebhookSignatures.verifyStandardWebhook(
                        id: id,
                        timestamp: timestamp,
                        signatures: signature,
                        body: body,
                        secret: secret,
                        now: now
                    )
                    guard let seconds = Int64(timestamp.trimmingCharacters(in: .whitespaces)), abs(Double(seconds) - now.timeIntervalSince1970) <= 300
                    else {
                        return "accepted timestamp \(timestamp.debugDescription)"
                    }
                } catch {
                    if error.status != 401 || error.outcome != "bad_signature" { return "answered \(error)" }
                    if !mutated, let seconds = Int64(timestamp), id.trimmingCharacters(in: .whitespaces) == id, !id.isEmpty,
                        abs(Double(seconds) - now.timeIntervalSince1970) < 299
                    {
                        return "rejected a genuine signature with timestamp \(timestamp): \(error.reason)"
                    }
                }
                return nil
            }
        }

        @Test("a genuinely signed Standard Webhooks timestamp near Int64.min is 401, not a trap")
        func timestampAtInt64Min() throws {
            let body = try WebhookFixture.bytes("shopmonkey_customer_insert.json")
            let secret = try WebhookFixture.text("shopmonkey.secret")
            let now = Date(timeIntervalSince1970: 1_767_225_600)
            let timestamp = String(Int64.min)
            let signature = WebhookSignatures.standardWebhookSignature(id: "msg_1", timestamp: timestamp, body: body, secret: secret)
            #expect(
                throws: WebhookRejection.badSignature(
                    "timestamp -9223372036854775808 is 9223372038622001152 s in the past, outside the 5 minute tolerance"
                )
            ) {
                try WebhookSignatures.verifyStandardWebhook(
                    id: "msg_1",
                    timestamp: timestamp,
                    signatures: signature,
                    body: body,
                    secret: secret,
                    now: now
                )
            }
            let future = String(Int64.max)
            let futureSignature = WebhookSignatures.standardWebhookSignature(id: "msg_1", timestamp: future, body: body, secret: secret)
            #expect(
                throws: WebhookRejection.badSignature(
                    "timestamp 9223372036854775807 is 9223372035087550464 s in the future, outside the 5 minute tolerance"
                )
            ) {
                try WebhookSignatures.verifyStandardWebhook(
                    id: "msg_1",
                    timestamp: future,
                    signatures: futureSignature,
                    body: body,
                    secret: secret,
                    now: now
                )
            }
        }

        @Test("monday JWTs: signed with any claims or mutated, accepted only when genuine and unexpired, never a crash")
        func mondayJWTs() async {
            let secret = "monday-signing-secret"
            let now = Date()
            await Fuzz.run("webhooks.mondayJWT", seed: 0x3EB_0000_0005, cases: 2_000) { generator in
                var claims: [String: JSONValue] = ["accountId": .number(JSONNumber(generator.below(100_000)))]
                let exp: JSONValue? =
                    switch generator.below(5) {
                    case 0: nil
                    case 1: .number(JSONNumber(now.timeIntervalSince1970 + Double(generator.within(-600...600))) ?? 0)
                    case 2: .number(generator.pick([-1e300, 1e300, -9.3e18, 9.3e18, 0, -62_135_596_800, 253_402_300_800, -1.7976931348623157e308]))
                    case 3: .string("\(generator.below(10_000_000_000))")
                    default: RandomJSON.value(&generator, depth: 3)
                    }
                if let exp { claims["exp"] = exp }
                var token = WebhookSignatures.mondayJWT(claims: claims, signingSecret: secret, alg: generator.chance(1, in: 10) ? "none" : "HS256")
                let mutated = generator.chance(1, in: 3)
                if mutated { token = String(decoding: ByteMutator.mutate(Array(token.utf8), &generator), as: UTF8.self) }
                let authorization = generator.chance(1, in: 2) ? "Bearer \(token)" : token
                do throws(WebhookRejection) {
                    try WebhookSignatures.verifyMondayJWT(authorization: authorization, signingSecret: secret, now: now)
                    if case .number(let number)? = exp, case let seconds = number.doubleValue,
                        now.timeIntervalSince1970 > seconds + WebhookSignatures.mondayJWTLeeway
                    {
                        return "accepted a token that expired at \(seconds)"
                    }
                    if let exp, case .number = exp {} else if exp != nil { return "accepted exp \(String(describing: exp))" }
                } catch {
                    if error.status != 401 || error.outcome != "bad_signature" { return "answered \(error)" }
                }
                return nil
            }
        }
    }
}

/// Structural mutations of a JSON document: a random subtree is replaced by a random value, a
/// key removed, or a value's type changed; the result is serialized again.
enum JSONMutator {
    static func mutate(_ bytes: [UInt8], _ generator: inout SplitMix64) -> [UInt8] {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            return ByteMutator.mutate(bytes, &generator)
        }
        var mutated = value
        for _ in 0..<generator.within(1...4) { mutated = mutateSomewhere(mutated, &generator) }
        return Array(RandomJSON.serialize(mutated, &generator).utf8)
    }

    static func mutateSomewhere(_ value: JSONValue, _ generator: inout SplitMix64) -> JSONValue {
        switch value {
        case .object(var object) where !object.isEmpty && generator.chance(3, in: 4):
            let key = object.keys.sorted()[generator.below(object.count)]
            switch generator.below(4) {
            case 0: object[key] = nil
            case 1: object[key] = RandomJSON.value(&generator, depth: 2)
            default: object[key] = mutateSomewhere(object[key] ?? .null, &generator)
            }
            return .object(object)
        case .array(var elements) where !elements.isEmpty && generator.chance(3, in: 4):
            let index = generator.below(elements.count)
            switch generator.below(4) {
            case 0: elements.remove(at: index)
            case 1: elements.append(elements[index])
            default: elements[index] = mutateSomewhere(elements[index], &generator)
            }
            return .array(elements)
        default:
            return generator.chance(1, in: 3) ? .string(FuzzText.string(&generator, maxLength: 30)) : RandomJSON.value(&generator, depth: 2)
        }
    }
}
