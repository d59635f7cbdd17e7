import Shared
import Testing

@Suite("Log redaction")
struct LogRedactionTests {
    @Test(arguments: [
        ("lead from jane.doe@example.com accepted", "lead from j***@example.com accepted"),
        ("calling +1 201-555-0291 now", "calling +• •••-•••-••91 now"),
        ("delivery 12345678 at 2026-11-23T10:00:00Z", "delivery 12345678 at 2026-11-23T10:00:00Z"),
        ("no personal data", "no personal data"),
    ])
    func masksEmailsAndInternationalPhones(input: String, expected: String) {
        #expect(LogRedaction.redact(input) == expected)
    }

    @Test(arguments: ["token", "api_key", "Authorization", "signing_secret", "password"])
    func replacesSecretValues(key: String) {
        #expect(LogRedaction.redact("abc123", key: key) == "[redacted]")
    }

    @Test func masksPhonesUnderPhoneKeysEvenWithoutPlus() {
        #expect(LogRedaction.redact("2015550291", key: "phone") == "••••••••91")
    }
}
