import Foundation

/// How Graph's `error.code` (`{"error": {"code": 131047, "message": …, "error_data": {"details":
/// …}}}`) changes the common HTTP classification, per the reference's table: the HTTP status
/// of each code is not documented, so the code decides.
enum WhatsAppErrorCode {
    /// `common` (the HTTP rules' outcome for a failed answer), refined by the Graph error code.
    static func classify(_ response: DeliveryResponse, common: DeliveryOutcome) -> DeliveryOutcome {
        guard let (code, details) = error(in: response.body) else { return common }
        let status = response.status
        let excerpt = common.responseExcerpt
        let reason = "WhatsApp \(code): " + (details ?? common.reason ?? "HTTP \(status)")
        func retry(_ errorClass: DeliveryErrorClass, after: Duration? = nil) -> DeliveryOutcome {
            .retryable(reason: reason, httpStatus: status, retryAfter: after ?? common.retryAfter, errorClass: errorClass, responseExcerpt: excerpt)
        }
        func fail(_ errorClass: DeliveryErrorClass, _ text: String = reason) -> DeliveryOutcome {
            .permanent(reason: text, httpStatus: status, errorClass: errorClass, responseExcerpt: excerpt)
        }
        switch code {
        case 1, 2: return retry(.serverError)
        case 4, 80007, 130429: return retry(.rateLimited)
        case 131057: return retry(.serverError, after: .seconds(60))
        case 131056: return retry(.rateLimited, after: .seconds(30))
        case 131049: return retry(.retryableStatus, after: .seconds(24 * 3600))
        case 131047: return fail(.configuration, "WhatsApp 131047: the lead's 24 h window is closed; send a template")
        case 131026, 131051: return fail(.invalidLead)
        case 131050: return fail(.optedOut, "WhatsApp 131050: the lead stopped marketing messages from this business")
        case 100, 132000, 132001: return fail(.configuration)
        case 0, 190, 10, 200...299: return retry(.credentialRejected)
        case 368, 131031, 131048, 132015: return retry(.accountBlocked)
        default: return common
        }
    }

    /// The Graph error's code and details.
    static func error(in body: [UInt8]) -> (code: Int, details: String?)? {
        guard let error = DeliveryClassifier.parseJSON(body)?.objectMembers?["error"]?.objectMembers,
            case .number(let number)? = error["code"], let code = number.intValue
        else { return nil }
        let details = error["error_data"]?.objectMembers?["details"]?.scalarText ?? error["message"]?.scalarText
        return (code, details)
    }
}
