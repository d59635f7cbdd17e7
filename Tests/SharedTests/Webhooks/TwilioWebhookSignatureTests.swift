import Foundation
import Shared
import Testing

@Suite("Webhook signatures: Twilio")
struct TwilioWebhookSignatureTests {
    /// The reference's vectors (§2.4, from twilio-python's tests): token `12345` and this URL.
    static let token = "12345"
    static let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    static let callParameters: [(name: String, value: String)] = [
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"),
        ("To", "+18005551212"),
    ]

    /// `parameters` as a form body, in the given order.
    static func form(_ parameters: [(name: String, value: String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let pieces = parameters.map { parameter in
            [parameter.name, parameter.value].map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
                .joined(separator: "=")
        }
        return Array(pieces.joined(separator: "&").utf8)
    }

    func verify(_ url: String, _ body: [UInt8], _ header: String?, token: String = Self.token) throws(WebhookRejection) {
        try WebhookSignatures.verifyTwilio(url: url, body: body, header: header, authToken: token)
    }

    @Test func theReferenceVectors() throws {
        let otherCaller: [(name: String, value: String)] = [
            ("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"), ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        let repeatedDigits: [(name: String, value: String)] = [
            ("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234"), ("Digits", "1234"),
        ]
        let vectors: [(url: String, parameters: [(name: String, value: String)], signature: String)] = [
            (Self.url, Self.callParameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            (Self.url, otherCaller, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
            // Repeated names: each distinct value once, values sorted (`Sid` sorts before `SidAccount`).
            (Self.url, repeatedDigits, "IK+Dwps556ElfBT0I3Rgjkr1wJU="),
            ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", Self.callParameters, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
        ]
        for vector in vectors {
            #expect(WebhookSignatures.twilioSignature(url: vector.url, parameters: vector.parameters, authToken: Self.token) == vector.signature)
            try verify(vector.url, Self.form(vector.parameters), vector.signature)
            try verify(vector.url, Self.form(vector.parameters.reversed()), vector.signature)
        }
    }

    /// A vector made with Python's `hmac` as twilio-python does it: Hebrew and emoji values, names
    /// that differ only in case, an empty value and a non-ASCII name (code-point order).
    @Test func aUTF8VectorFromPython() throws {
        let url = "https://api.leadrelay.example/hooks/tok_abc"
        let parameters: [(name: String, value: String)] = [
            ("To", "+15017122661"), ("From", "+972501234567"), ("Body", "שלום דני 👋🏽"), ("body", "x"), ("B", ""),
            ("MessageSid", "SM1"), ("Ä", "1"),
        ]
        let body = Array(
            ("To=%2B15017122661&From=%2B972501234567&Body=%D7%A9%D7%9C%D7%95%D7%9D+%D7%93%D7%A0%D7%99+%F0%9F%91%8B%F0%9F%8F%BD"
                + "&body=x&B=&MessageSid=SM1&%C3%84=1").utf8
        )
        #expect(WebhookSignatures.twilioSignature(url: url, parameters: parameters, authToken: "auth-token-1") == "t3A4l9H7V8hH7OXrdenqkzMwlok=")
        try verify(url, body, "t3A4l9H7V8hH7OXrdenqkzMwlok=", token: "auth-token-1")
    }

    @Test(arguments: [
        // Configured with a port, signed without it, and the other way round.
        ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "http://mycompany.com/myapp.php?foo=1&bar=2"),
        ("https://mycompany.com:443/myapp.php?foo=1&bar=2", Self.url),
        (Self.url, "https://mycompany.com:443/myapp.php?foo=1&bar=2"),
        ("http://mycompany.com/myapp.php", "http://mycompany.com:80/myapp.php"),
        ("https://user:pw@[::1]/hooks/x", "https://user:pw@[::1]:443/hooks/x"),
        ("https://[::1]:8443/hooks/x", "https://[::1]/hooks/x"),
    ])
    func thePortIsToggled(configured: String, signed: String) throws {
        let signature = WebhookSignatures.twilioSignature(url: signed, parameters: Self.callParameters, authToken: Self.token)
        try verify(configured, Self.form(Self.callParameters), signature)
    }

    @Test func anotherPortOrHostFails() {
        let signature = WebhookSignatures.twilioSignature(
            url: "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
            parameters: Self.callParameters,
            authToken: Self.token
        )
        #expect(throws: WebhookRejection.self) {
            try verify("https://mycompany.com:9443/myapp.php?foo=1&bar=2", Self.form(Self.callParameters), signature)
        }
        #expect(throws: WebhookRejection.self) {
            try verify("https://mycompany.org/myapp.php?foo=1&bar=2", Self.form(Self.callParameters), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        }
    }

    @Test func theJSONBodyVector() throws {
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        let hash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        #expect(WebhookSignatures.twilioBodySHA256(body) == hash)
        let url = Self.url + "&bodySHA256=" + hash
        // Computed with Python's hmac over the URL alone (twilio-python's JSON case).
        #expect(WebhookSignatures.twilioSignature(url: url, parameters: [], authToken: Self.token) == "a9nBmqA0ju/hNViExpshrM61xv4=")
        try verify(url, body, "a9nBmqA0ju/hNViExpshrM61xv4=")

        let changed = Array(#"{"property": "value", "boolean": false}"#.utf8)
        #expect(throws: WebhookRejection.badSignature("bodySHA256 in the URL does not match the body")) {
            try verify(url, changed, "a9nBmqA0ju/hNViExpshrM61xv4=")
        }
        // The hash binds the body, the signature binds the hash: a new hash needs a new signature.
        let rehashed = Self.url + "&bodySHA256=" + WebhookSignatures.twilioBodySHA256(changed)
        #expect(throws: WebhookRejection.self) { try verify(rehashed, changed, "a9nBmqA0ju/hNViExpshrM61xv4=") }
    }

    @Test func aGETWebhookSignsTheURLAlone() throws {
        let url = "https://mycompany.com/hooks/x?MessageSid=SM1&From=%2B15551234567&Body=hi"
        let signature = WebhookSignatures.twilioSignature(url: url, parameters: [], authToken: Self.token)
        try verify(url, [], signature)
    }

    static let mismatch = WebhookRejection.badSignature(
        "X-Twilio-Signature does not match the URL and parameters (is public_url exactly the URL configured in Twilio?)"
    )

    @Test func aWrongTokenFails() {
        #expect(throws: Self.mismatch) { try verify(Self.url, Self.form(Self.callParameters), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", token: "54321") }
    }

    @Test func aChangedAddedOrMissingParameterFails() {
        var changed = Self.callParameters
        changed[2].value = "1235"
        var added = Self.callParameters
        added.append(("Extra", ""))
        let missing = Array(Self.callParameters.dropLast())
        let changedQuery = "https://mycompany.com/myapp.php?foo=1&bar=3"
        for parameters in [changed, added, missing] {
            #expect(throws: Self.mismatch) { try verify(Self.url, Self.form(parameters), "RSOYDt4T1cUTdK1PDd93/VVr8B8=") }
        }
        #expect(throws: Self.mismatch) { try verify(changedQuery, Self.form(Self.callParameters), "RSOYDt4T1cUTdK1PDd93/VVr8B8=") }
    }

    @Test(arguments: [
        (String?.none, "missing X-Twilio-Signature header"),
        ("  ", "missing X-Twilio-Signature header"),
        ("not base64!", "malformed X-Twilio-Signature header: expected the base64 of a 20-byte HMAC-SHA1"),
        ("c2hvcnQ=", "malformed X-Twilio-Signature header: expected the base64 of a 20-byte HMAC-SHA1"),
    ])
    func aMissingOrMalformedHeaderFails(header: String?, reason: String) {
        #expect(throws: WebhookRejection.badSignature(reason)) { try verify(Self.url, Self.form(Self.callParameters), header) }
    }

    @Test func anEmptyTokenFailsEvenWithTheMatchingSignature() {
        let signature = WebhookSignatures.twilioSignature(url: Self.url, parameters: Self.callParameters, authToken: "")
        #expect(throws: WebhookRejection.badSignature("no auth token is configured for this source")) {
            try verify(Self.url, Self.form(Self.callParameters), signature, token: "")
        }
    }

    @Test(arguments: [
        ("https://x.example/hooks/abc", String?.none, "https://x.example/hooks/abc"),
        ("https://x.example/hooks/abc", "", "https://x.example/hooks/abc"),
        ("https://x.example/hooks/abc", "a=1&b=%2B2", "https://x.example/hooks/abc?a=1&b=%2B2"),
        ("https://x.example/hooks/abc?old=1#frag", "a=1", "https://x.example/hooks/abc?a=1"),
    ])
    func theRequestURL(publicURL: String, rawQuery: String?, expected: String) {
        #expect(WebhookSignatures.twilioRequestURL(publicURL: publicURL, rawQuery: rawQuery) == expected)
    }
}
