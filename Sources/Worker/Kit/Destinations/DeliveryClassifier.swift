import Foundation
import Shared

/// Classifies a destination's answer (or the failure to get one) as success, retryable or
/// permanent, following the delivery rules: 2xx (and GoHighLevel's duplicate-contact 400) is
/// success; 429, 5xx, Cloudflare challenges, 401/403, 408/425, connection failures and timeouts
/// are retryable; other 4xx are permanent with the destination's reason. JSON-over-HTTP
/// destinations may widen or narrow success with `success_statuses` / `success_match`.
public enum DeliveryClassifier {
    /// Longest reason kept, in UTF-8 bytes.
    public static let reasonLimit = 500

    /// The outcome of an HTTP answer from `destination`. `scrubber` masks the secret in the
    /// excerpt and reason; `now` dates HTTP-date `Retry-After` values.
    public static func classify(_ response: DeliveryResponse, destination: Destination,
                                scrubber: SecretScrubber = SecretScrubber(secret: nil),
                                excerptLimit: Int = ResponseExcerpt.defaultLimit, now: Date = Date()) -> DeliveryOutcome {
        let status = response.status
        let excerpt = ResponseExcerpt.make(response.body, truncated: response.bodyTruncated, limit: excerptLimit, scrubber: scrubber)
        let json = parseJSON(response.body)

        if isCloudflareChallenge(response) {
            return .retryable(reason: "HTTP \(status): Cloudflare challenge page instead of an API answer", httpStatus: status,
                              retryAfter: retryAfter(response.headers, status: status, now: now),
                              errorClass: .cloudflareChallenge, responseExcerpt: excerpt)
        }
        switch destination.kind {
        case .ghl, .ghlV1:
            if let outcome = ghlSuccess(status: status, json: json, excerpt: excerpt) { return outcome }
        case .momence:
            if (200...299).contains(status) {
                return .succeeded(externalId: JSONHTTPSuccessRules().externalId(in: json), httpStatus: status, responseExcerpt: excerpt)
            }
        case .npa, .http:
            let rules = (try? JSONHTTPSuccessRules(DestinationConfig(destination))) ?? JSONHTTPSuccessRules()
            if rules.accepts(status: status) {
                if let failed = rules.failedMatch(in: json) {
                    let detail = message(in: json).map { ": " + $0 } ?? ""
                    return .permanent(
                        reason: scrubbed("HTTP \(status) without \(failed.path) = \(JSONBodyWriter.text(failed.expected))\(detail)", scrubber),
                        httpStatus: status, errorClass: .unexpectedResponse, responseExcerpt: excerpt)
                }
                return .succeeded(externalId: rules.externalId(in: json), httpStatus: status, responseExcerpt: excerpt)
            }
            if (200...299).contains(status) {
                return .permanent(reason: "HTTP \(status) is not one of the destination's success_statuses", httpStatus: status,
                                  errorClass: .unexpectedResponse, responseExcerpt: excerpt)
            }
        }
        return classifyFailure(response, json: json, excerpt: excerpt, scrubber: scrubber, now: now)
    }

    /// Statuses that are not a success for the destination.
    static func classifyFailure(_ response: DeliveryResponse, json: JSONValue?, excerpt: String?, scrubber: SecretScrubber,
                                now: Date) -> DeliveryOutcome {
        let status = response.status
        let reason = scrubbed(failureReason(response, json: json), scrubber)
        /// Retryable, with the destination's wait hint.
        func retry(_ errorClass: DeliveryErrorClass) -> DeliveryOutcome {
            .retryable(reason: reason, httpStatus: status, retryAfter: retryAfter(response.headers, status: status, now: now),
                       errorClass: errorClass, responseExcerpt: excerpt)
        }
        /// Permanent.
        func fail(_ errorClass: DeliveryErrorClass) -> DeliveryOutcome {
            .permanent(reason: reason, httpStatus: status, errorClass: errorClass, responseExcerpt: excerpt)
        }
        switch status {
        case 429: return retry(.rateLimited)
        case 401, 403: return retry(.authentication)
        case 408, 425: return retry(.retryableStatus)
        case 500...599: return retry(.serverError)
        case 400: return fail(.badRequest)
        case 404: return fail(.notFound)
        case 422: return fail(.validation)
        case 402...499: return fail(.clientError)
        default: return fail(.unexpectedResponse)
        }
    }

    /// The body as JSON, when it is JSON.
    static func parseJSON(_ body: [UInt8]) -> JSONValue? {
        guard let first = body.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }),
              first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        return try? JSONValue.parse(body)
    }

    /// `reason` with the secret masked, trimmed to ``reasonLimit``.
    static func scrubbed(_ reason: String, _ scrubber: SecretScrubber) -> String {
        ResponseExcerpt.trim(scrubber.scrub(reason), limit: reasonLimit)
    }
}
