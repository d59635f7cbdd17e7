import AsyncHTTPClient
import Foundation
import NIOCore
import Shared
import Testing
import WorkerApp

extension Destinations {
    @Suite("Transport failure classification")
    struct TransportErrorClassificationTests {
        struct LeakyError: Error, CustomStringConvertible {
            var description: String { "proxy rejected Authorization: Bearer \(DestinationFixtures.secret)" }
        }

        @Test(
            "failures without an answer",
            arguments: [
                (HTTPClientError.deadlineExceeded as any Error, "retryable", .timeout, "no answer within 2000 ms"),
                (HTTPClientError.readTimeout, "retryable", DeliveryErrorClass.timeout, "no answer within 2000 ms"),
                (HTTPClientError.connectTimeout, "retryable", .connection, "could not connect within 2000 ms (Connect timeout)"),
                (HTTPClientError.remoteConnectionClosed, "retryable", .connection, "the destination closed the connection before answering"),
                (IOError(errnoCode: 111, reason: "connect"), "retryable", .connection, "could not connect: connect: Connection refused"),
                (CancellationError(), "retryable", .cancelled, "the attempt was cancelled before an answer arrived"),
                (HTTPClientError.invalidURL, "permanent", .configuration, "the destination URL cannot be used (Invalid URL)"),
                (LeakyError(), "retryable", .transport, "request failed: proxy rejected Authorization: Bearer [redacted]"),
            ] as [(any Error, String, DeliveryErrorClass, String)]
        )
        func classifies(error: any Error, outcome: String, errorClass: DeliveryErrorClass, reason: String) {
            let result = DeliveryClassifier.classify(error: error, timeout: .seconds(2), scrubber: SecretScrubber(secret: DestinationFixtures.secret))
            #expect(result.name == outcome)
            #expect(result.errorClass == errorClass)
            #expect(result.reason?.hasPrefix(reason) == true, "\(result.reason ?? "")")
            #expect(result.httpStatus == nil)
            #expect(result.retryAfter == nil)
        }

        @Test func theSharedTimeoutIsATimeout() async {
            let error: (any Error)? = await {
                do {
                    _ = try await withTimeout(.milliseconds(5), operation: "delivery request") { try await Task.sleep(for: .seconds(5)) }
                    return nil
                } catch {
                    return error
                }
            }()
            let result = DeliveryClassifier.classify(error: error ?? CancellationError(), timeout: .milliseconds(5))
            #expect(result.errorClass == .timeout)
            #expect(result.reason == "no answer within 5 ms")
        }
    }
}
