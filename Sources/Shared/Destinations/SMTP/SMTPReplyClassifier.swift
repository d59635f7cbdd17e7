import Foundation
import NIOHTTP1

/// A mail server's answer (as ``DestinationClient`` reports it: the reply code as the status, its
/// text as the body, the session step in a header) as a ``DeliveryOutcome``:
///
/// - 2xx: sent; the message's Message-ID is the external id.
/// - 535, or any refusal of AUTH: the credential is refused; the destination is suspended.
/// - 4xx (421, 450, 451, 452…): transient; retried with backoff.
/// - 5xx to `RCPT TO`: the lead's address is refused (permanent, `invalid_lead`).
/// - 5xx to the message itself (552, 554: too big, spam): permanent for this lead.
/// - any other 5xx (the greeting, EHLO, `MAIL FROM`): the server will not take mail from this
///   configuration (permanent, `configuration`).
enum SMTPReplyClassifier {
    /// The outcome of `response`.
    static func classify(_ response: DeliveryResponse, scrubber: SecretScrubber, excerptLimit: Int) -> DeliveryOutcome {
        let code = response.status
        let step = response.headers.first(name: DestinationClient.smtpStepHeader).flatMap(SMTPError.Step.init(rawValue:)) ?? .message
        let excerpt = ResponseExcerpt.make(response.body, limit: excerptLimit, scrubber: scrubber)
        let text = excerpt.map { " \($0)" } ?? ""
        let reason = "the mail server answered \(code)\(text) to \(describe(step))"
        switch (code, step) {
        case (200..<300, _):
            let id = response.headers.first(name: "Message-ID")
            return .succeeded(externalId: id, httpStatus: nil, responseExcerpt: excerpt)
        case (535, _), (500..<600, .authentication):
            return .retryable(
                reason: "the mail server refused the user name and password: replace the credential (\(reason))",
                httpStatus: nil,
                retryAfter: nil,
                errorClass: .credentialRejected,
                responseExcerpt: excerpt
            )
        case (400..<500, _):
            return .retryable(reason: reason, httpStatus: nil, retryAfter: nil, errorClass: .retryableStatus, responseExcerpt: excerpt)
        case (500..<600, .recipient):
            return .permanent(reason: reason, httpStatus: nil, errorClass: .invalidLead, responseExcerpt: excerpt)
        case (500..<600, .message):
            return .permanent(reason: reason, httpStatus: nil, errorClass: .clientError, responseExcerpt: excerpt)
        default:
            return .permanent(reason: reason, httpStatus: nil, errorClass: .configuration, responseExcerpt: excerpt)
        }
    }

    private static func describe(_ step: SMTPError.Step) -> String {
        switch step {
        case .greeting: "the connection"
        case .hello: "EHLO"
        case .startTLS: "STARTTLS"
        case .authentication: "AUTH"
        case .sender: "MAIL FROM"
        case .recipient: "RCPT TO (the lead's address)"
        case .data: "DATA"
        case .message: "the message"
        case .connection: "the session"
        }
    }
}
