import Foundation

/// Classifies a destination's answer (or the failure to get one) as success, retryable or
/// permanent, following the delivery rules: what counts as success is the adapter's
/// (``DestinationAdapter/successOutcome(_:destination:scrubber:)``: 2xx, GoHighLevel's
/// duplicate-contact 400, JSON-over-HTTP `success_statuses` / `success_match`); 429, 5xx,
/// Cloudflare challenges, 401/403, 408/425, connection failures and timeouts are retryable;
/// other 4xx are permanent with the destination's reason.
public enum DeliveryClassifier {
    /// Longest reason kept, in UTF-8 bytes.
    public static let reasonLimit = 500

    /// The outcome of an HTTP answer from `destination`, by its kind's adapter. `scrubber` masks
    /// the secret in the excerpt and reason; `now` dates HTTP-date `Retry-After` values.
    public static func classify(
        _ response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber = SecretScrubber(secret: nil),
        excerptLimit: Int = ResponseExcerpt.defaultLimit,
        now: Date = Date()
    ) -> DeliveryOutcome {
        guard let adapter = DestinationRegistry.adapter(for: destination.kind) else {
            return DeliveryBuildError.unknownKind(destination.kind).outcome
        }
        return adapter.classify(response, destination: destination, scrubber: scrubber, excerptLimit: excerptLimit, now: now)
    }

    /// The common HTTP rules around `adapter`'s own: a Cloudflare challenge is retryable whatever
    /// its status; then ``DestinationAdapter/successOutcome(_:destination:scrubber:)`` decides
    /// (nil: not a success); then ``classifyFailure(_:json:excerpt:scrubber:retryAfter:)``, with
    /// waits read by ``DestinationAdapter/retryAfter(_:status:now:)``.
    public static func classify(
        _ response: DeliveryResponse,
        by adapter: some DestinationAdapter,
        destination: Destination,
        scrubber: SecretScrubber,
        excerptLimit: Int,
        now: Date
    ) -> DeliveryOutcome {
        let status = response.status
        let excerpt = ResponseExcerpt.make(response.body, truncated: response.bodyTruncated, limit: excerptLimit, scrubber: scrubber)
        let json = parseJSON(response.body)

        if isCloudflareChallenge(response) {
            return .retryable(
                reason: "HTTP \(status): Cloudflare challenge page instead of an API answer",
                httpStatus: status,
                retryAfter: adapter.retryAfter(response.headers, status: status, now: now),
                errorClass: .cloudflareChallenge,
                responseExcerpt: excerpt
            )
        }
        let answer = DeliveryAnswer(response: response, json: json, excerpt: excerpt)
        if let outcome = adapter.successOutcome(answer, destination: destination, scrubber: scrubber) { return outcome }
        return classifyFailure(response, json: json, excerpt: excerpt, scrubber: scrubber) {
            adapter.retryAfter(response.headers, status: status, now: now)
        }
    }

    /// Statuses that are not a success for the destination.
    static func classifyFailure(
        _ response: DeliveryResponse,
        json: JSONValue?,
        excerpt: String?,
        scrubber: SecretScrubber,
        retryAfter: () -> Duration?
    ) -> DeliveryOutcome {
        let status = response.status
        let reason = scrubbed(failureReason(response, json: json), scrubber)
        /// Retryable, with the destination's wait hint.
        func retry(_ errorClass: DeliveryErrorClass) -> DeliveryOutcome {
            .retryable(
                reason: reason,
                httpStatus: status,
                retryAfter: retryAfter(),
                errorClass: errorClass,
                responseExcerpt: excerpt
            )
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
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return nil }
        return try? JSONValue.parse(body)
    }

    /// `reason` with the secret masked, trimmed to ``reasonLimit``.
    static func scrubbed(_ reason: String, _ scrubber: SecretScrubber) -> String {
        ResponseExcerpt.trim(scrubber.scrub(reason), limit: reasonLimit)
    }
}
