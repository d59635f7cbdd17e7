import Foundation
import Shared
import TestSupport
import Testing

@Suite("Google service-account key")
struct GoogleServiceAccountKeyTests {
    @Test func googlesKeyFileParses() throws {
        let key = try GoogleTestKey.key(tokenURI: "https://oauth2.googleapis.com/token")
        #expect(key.clientEmail == GoogleTestKey.clientEmail)
        #expect(key.privateKeyId == GoogleTestKey.keyId)
        #expect(key.tokenURI == "https://oauth2.googleapis.com/token")
    }

    @Test func aKeyWithoutTokenURIUsesGooglesTokenURL() throws {
        let key = try GoogleServiceAccountKey(json: GoogleTestKey.json(GoogleTestKey.fields(omitting: ["token_uri", "private_key_id"])))
        #expect(key.tokenURI == GoogleServiceAccountKey.defaultTokenURI)
        #expect(key.privateKeyId == nil)
    }

    @Test("A missing field is named", arguments: ["private_key", "client_email", "type"])
    func missingField(_ field: String) {
        let json = GoogleTestKey.json(GoogleTestKey.fields(omitting: [field]))
        let error = #expect(throws: GoogleServiceAccountKeyError.self) { try GoogleServiceAccountKey(json: json) }
        #expect(error == .missingField(field))
        #expect(error?.description == "the service-account key has no \(field)")
    }

    @Test func aPrivateKeyThatIsNotAnRSAKeyIsInvalidWithoutBeingQuoted() {
        var fields = GoogleTestKey.fields()
        let garbage = "-----BEGIN PRIVATE KEY-----\nTm90QUtleUJ1dFNlY3JldA==\n-----END PRIVATE KEY-----\n"
        fields["private_key"] = garbage
        let error = #expect(throws: GoogleServiceAccountKeyError.self) { try GoogleServiceAccountKey(json: GoogleTestKey.json(fields)) }
        guard case .invalidField("private_key", _)? = error else {
            Issue.record("expected an invalid private_key, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("Tm90QUtleUJ1dFNlY3JldA") == false)
    }

    @Test func anOAuthClientFileIsNotAServiceAccountKey() {
        var fields = GoogleTestKey.fields()
        fields["type"] = "authorized_user"
        let error = #expect(throws: GoogleServiceAccountKeyError.self) { try GoogleServiceAccountKey(json: GoogleTestKey.json(fields)) }
        #expect(error?.description.contains("type") == true)
        #expect(error?.description.contains("authorized_user") == true)
    }

    @Test func aTokenURIThatIsNotHTTPIsInvalid() {
        let json = GoogleTestKey.json(GoogleTestKey.fields(tokenURI: "file:///etc/passwd"))
        let error = #expect(throws: GoogleServiceAccountKeyError.self) { try GoogleServiceAccountKey(json: json) }
        #expect(error == .invalidField("token_uri", reason: "it is not an http(s) URL"))
    }

    @Test(arguments: ["", "not json", "[1,2]", #""service_account""#])
    func textThatIsNotAJSONObjectIsRefused(_ text: String) {
        #expect(throws: GoogleServiceAccountKeyError.notJSON) { try GoogleServiceAccountKey(json: text) }
    }

    @Test func thePrivateKeyNeverAppearsInDescriptionsOrDumps() throws {
        let key = try GoogleTestKey.key()
        var dumped = ""
        dump(key, to: &dumped)
        let shown = [String(describing: key), String(reflecting: key), "\(key)", dumped]
        for text in shown {
            #expect(text.contains(GoogleTestKey.clientEmail))
            #expect(!text.contains("PRIVATE KEY"))
            for line in GoogleTestKey.pemBodyLines { #expect(!text.contains(line)) }
        }
    }
}
