import Foundation
import NIOHTTP1

extension DestinationClient {
    /// The header of a synthesized SMTP answer that names the session step the server answered
    /// (``SMTPError/Step``), e.g. `recipient` for a refused `RCPT TO`.
    static let smtpStepHeader = "X-LeadRelay-SMTP-Step"

    /// Submits `submission` within `timeout` and returns the server's last reply as a
    /// ``DeliveryResponse`` (status = the reply code, body = its text, ``smtpStepHeader`` = the
    /// step, and after an accepted message its `Message-ID`), so the adapter classifies a refusal like an HTTP answer. The server's addresses are
    /// checked like an HTTP target's: a private server is refused unless `allowPrivateNetwork`
    /// or the deployment allows it.
    ///
    /// - Throws: ``SMTPError`` without a reply code (the connection dropped, TLS is not offered…),
    ///   ``OutboundRefusal``, ``TimeoutError`` or a connection error.
    func submit(_ submission: SMTPSubmission, timeout: Duration, allowPrivateNetwork: Bool) async throws -> DeliveryResponse {
        let client = SMTPClient(
            configuration: submission.configuration,
            logger: logger,
            timeout: timeout,
            outboundChecker: httpClient.checker,
            allowPrivateNetwork: allowPrivateNetwork
        )
        do {
            let replies = try await client.send([submission.message])
            let reply = replies.first ?? SMTPReply(code: 250, lines: [])
            var response = Self.smtpResponse(code: reply.code, text: reply.text, step: .message)
            response.headers.add(name: "Message-ID", value: submission.message.messageId)
            return response
        } catch let error as SMTPError {
            guard let code = error.code else { throw error }
            return Self.smtpResponse(code: code, text: error.text, step: error.step)
        }
    }

    /// A reply as a ``DeliveryResponse``.
    static func smtpResponse(code: Int, text: String, step: SMTPError.Step) -> DeliveryResponse {
        DeliveryResponse(status: code, headers: HTTPHeaders([(smtpStepHeader, step.rawValue)]), body: Array(text.utf8), bodyTruncated: false)
    }
}
