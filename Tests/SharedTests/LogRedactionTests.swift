import Logging
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

@Suite("Redacting text log handler")
struct RedactingLogHandlerTests {
    final class Capture: @unchecked Sendable {
        var events: [LogEvent] = []
        var handlerMetadata: [Logger.Metadata] = []
    }

    struct CapturingHandler: LogHandler {
        let capture: Capture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            capture.events.append(event)
            capture.handlerMetadata.append(metadata)
        }
    }

    @Test func masksPersonalDataAndSecretsInMessageAndMetadata() throws {
        let capture = Capture()
        var logger = Logger(label: "t") { _ in RedactingLogHandler(wrapping: CapturingHandler(capture: capture)) }
        logger[metadataKey: "token"] = "abc"
        logger.info("sent to ada@example.com", metadata: ["request": #"{"email":"ada@example.com","phone":"+12015550291"}"#, "count": "3"])
        let event = try #require(capture.events.first)
        #expect(event.message.description == "sent to a***@example.com")
        #expect(event.metadata?["request"]?.description.contains("ada@example.com") == false)
        #expect(event.metadata?["request"]?.description.contains("+12015550291") == false)
        #expect(event.metadata?["count"]?.description == "3")
        #expect(capture.handlerMetadata.first?["token"]?.description == "[redacted]")
    }
}
