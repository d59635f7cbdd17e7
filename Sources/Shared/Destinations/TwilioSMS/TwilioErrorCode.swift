import Foundation

/// How Twilio's error codes (the `code` of its error body, `{"code": 21211, "message": …,
/// "more_info": …, "status": 400}`) change the common HTTP classification.
///
/// - 21211 (invalid `To`), 21614 (not a mobile number), 30006 (landline or unreachable carrier),
///   21610 (the recipient replied STOP to this sender): permanent for this lead.
/// - 20429 and HTTP 429: Twilio never processed the request; retried.
/// - 21611 (the sender's queue holds more than 10 h of messages): retried, no sooner than 10 min.
/// - 21408 (sending to the region is not enabled): a configuration error of the account.
/// - 20003 and HTTP 401 (the credential is refused): the destination is suspended
///   (``DeliveryErrorClass/credentialRejected``).
enum TwilioErrorCode {
    /// Retry no sooner than this after 21611.
    static let queueFullWait: Duration = .seconds(600)

    /// `common` (the HTTP rules' outcome for a failed answer), refined by the Twilio code in `response`.
    static func classify(_ response: DeliveryResponse, common: DeliveryOutcome) -> DeliveryOutcome {
        let code = code(in: response.body)
        if code == 20003 || response.status == 401 {
            return .retryable(
                reason: "Twilio refused the account SID and auth token (\(code.map(String.init) ?? "HTTP 401")): replace the credential",
                httpStatus: response.status,
                retryAfter: nil,
                errorClass: .credentialRejected,
                responseExcerpt: common.responseExcerpt
            )
        }
        guard let code else { return common }
        let status = response.status
        let reason = "Twilio \(code): " + (common.reason ?? "HTTP \(status)")
        let excerpt = common.responseExcerpt
        switch code {
        case 21211:
            return .permanent(reason: reason, httpStatus: status, errorClass: .invalidLead, responseExcerpt: excerpt)
        case 21610:
            return .permanent(
                reason: "Twilio 21610: the recipient has unsubscribed from this sender (replied STOP)",
                httpStatus: status,
                errorClass: .optedOut,
                responseExcerpt: excerpt
            )
        case 21614, 30006:
            return .permanent(reason: reason, httpStatus: status, errorClass: .invalidLead, responseExcerpt: excerpt)
        case 20429:
            return .retryable(reason: reason, httpStatus: status, retryAfter: common.retryAfter, errorClass: .rateLimited, responseExcerpt: excerpt)
        case 21611:
            return .retryable(
                reason: reason,
                httpStatus: status,
                retryAfter: max(common.retryAfter ?? .zero, queueFullWait),
                errorClass: .rateLimited,
                responseExcerpt: excerpt
            )
        case 21408:
            return .permanent(reason: reason, httpStatus: status, errorClass: .configuration, responseExcerpt: excerpt)
        default:
            return common
        }
    }

    /// The numeric `code` of a Twilio error body.
    static func code(in body: [UInt8]) -> Int? {
        guard let members = DeliveryClassifier.parseJSON(body)?.objectMembers else { return nil }
        switch members["code"] {
        case .number(let number)?: return number.intValue
        case .string(let text)?: return Int(text)
        default: return nil
        }
    }
}
