import Shared
import Testing

@Suite("PUBLIC_BASE_URL: the address Twilio signatures are checked against")
struct PublicBaseURLTests {
    @Test(arguments: [
        (nil as String?, nil as String?), ("", nil), ("https://relay.example.com", "https://relay.example.com"),
        ("https://relay.example.com/", "https://relay.example.com"), ("http://127.0.0.1:8080//", "http://127.0.0.1:8080"),
        ("https://example.com/leadrelay", "https://example.com/leadrelay"),
    ])
    func aBaseURLIsKeptWithoutItsTrailingSlashes(value: String?, expected: String?) throws {
        var environment = AppConfigurationTests.valid
        environment["PUBLIC_BASE_URL"] = value
        #expect(try AppConfiguration(environment: EnvironmentValues(environment)).publicBaseURL == expected)
    }

    @Test(arguments: ["relay.example.com", "ftp://relay.example.com", "https://", "https://relay.example.com/?x=1", "https://a b.com"])
    func anythingElseIsRefusedAtStart(value: String) {
        var environment = AppConfigurationTests.valid
        environment["PUBLIC_BASE_URL"] = value
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: EnvironmentValues(environment)) }
    }
}
