import AsyncHTTPClient
import Foundation
import NIOCore
import Shared
import Testing
import WorkerApp

extension Destinations {
    @Suite("Attempts that may have sent the message")
    struct MaybeSentClassificationTests {
        @Test(
            "failures without an answer",
            arguments: [
                (HTTPClientError.deadlineExceeded as any Error, true),
                (HTTPClientError.readTimeout, true),
                (HTTPClientError.remoteConnectionClosed, true),
                (IOError(errnoCode: 104, reason: "read"), true),
                (CancellationError(), true),
                (HTTPClientError.connectTimeout, false),
                (IOError(errnoCode: 111, reason: "connect"), false),
                (HTTPClientError.invalidURL, false),
            ] as [(any Error, Bool)]
        )
        func noAnswer(error: any Error, mayHaveBeenSent: Bool) {
            let outcome = DeliveryClassifier.classify(error: error, timeout: .seconds(2))
            #expect(outcome.mayHaveBeenSent == mayHaveBeenSent, "\(outcome)")
        }

        @Test func anAnswerIsDefinite() {
            let answers: [DeliveryOutcome] = [
                .succeeded(externalId: "SM1", httpStatus: 201, responseExcerpt: nil),
                .retryable(reason: "HTTP 503", httpStatus: 503, retryAfter: nil, errorClass: .serverError, responseExcerpt: nil),
                .permanent(reason: "HTTP 400", httpStatus: 400, errorClass: .badRequest, responseExcerpt: nil),
                .skipped(reason: "no phone", errorClass: .noAddress),
            ]
            #expect(answers.allSatisfy { !$0.mayHaveBeenSent })
        }
    }
}
