import Foundation

/// How a monday error (``MondayError``) changes the common HTTP classification. monday answers
/// most failures with HTTP 200 and `errors`, so the code decides (reference §0 and §5.4):
///
/// - `COMPLEXITY_BUDGET_EXHAUSTED`, legacy `ComplexityException`, `FIELD_LIMIT_EXCEEDED`,
///   `RATE_LIMIT_EXCEEDED`, `maxConcurrencyExceeded`, `IP_RATE_LIMIT_EXCEEDED`: retried after the
///   `retry_in_seconds` monday gave (else its `Retry-After`, else the usual backoff).
/// - `DAILY_LIMIT_EXCEEDED`: retried at the next 00:00 UTC, when the daily count resets.
/// - `ColumnValueException` / `CorrectedValueException` (a label the column does not have, or a
///   column that is not a status): permanent, a configuration error naming the label.
/// - `InvalidItemIdException`, an item `ResourceNotFoundException`: permanent for this lead (its
///   item was deleted or is on another board).
/// - `InvalidBoardIdException`, `InvalidColumnIdException`, `InvalidVersionException`: configuration.
/// - `UserUnauthorizedException`, `USER_ACCESS_DENIED`, `missingRequiredPermissions` and HTTP 401:
///   the token cannot do this; the destination is suspended (``DeliveryErrorClass/credentialRejected``).
/// - `INTERNAL_SERVER_ERROR`, `API_TEMPORARILY_BLOCKED` or an error `status_code` of 5xx: retried.
/// - Any other error (GraphQL parse and validation errors have no code): permanent.
enum MondayErrorCode {
    /// Codes that mean "too much, wait": retried after monday's `retry_in_seconds`.
    static let waitCodes: Set = [
        "COMPLEXITY_BUDGET_EXHAUSTED", "ComplexityException", "FIELD_LIMIT_EXCEEDED", "RATE_LIMIT_EXCEEDED", "maxConcurrencyExceeded",
        "IP_RATE_LIMIT_EXCEEDED",
    ]
    /// Codes that mean the token may not do this.
    static let refusedCodes: Set = ["UserUnauthorizedException", "USER_ACCESS_DENIED", "missingRequiredPermissions"]
    /// Codes of a destination setting monday does not know.
    static let configurationCodes: Set = ["InvalidBoardIdException", "InvalidColumnIdException", "InvalidVersionException"]

    /// `common` (the HTTP rules' outcome for an answer that is not a success), refined by monday's
    /// error in `response`; `destination` names the label in reasons, `scrubber` masks the token in
    /// them, `now` dates the daily reset.
    static func classify(
        _ response: DeliveryResponse,
        common: DeliveryOutcome,
        destination: Destination,
        scrubber: SecretScrubber,
        now: Date
    ) -> DeliveryOutcome {
        let status = response.status
        func trim(_ text: String) -> String { DeliveryClassifier.scrubbed(text, scrubber) }
        let excerpt = common.responseExcerpt
        let error = MondayError.first(in: DeliveryClassifier.parseJSON(response.body))
        if status == 401 || error.map({ $0.code.map(refusedCodes.contains) ?? false }) == true {
            let what = error?.code ?? "HTTP 401"
            return .retryable(
                reason: trim(
                    "monday refused the API token (\(what)): replace the credential or give its user access to the board — "
                        + (common.reason ?? "")
                ),
                httpStatus: status,
                retryAfter: nil,
                errorClass: .credentialRejected,
                responseExcerpt: excerpt
            )
        }
        guard let error else { return common }
        let reason = trim("monday \(error.code ?? "error"): " + (error.message ?? common.reason ?? "HTTP \(status)"))
        func retry(_ errorClass: DeliveryErrorClass, after: Duration?) -> DeliveryOutcome {
            .retryable(reason: reason, httpStatus: status, retryAfter: after, errorClass: errorClass, responseExcerpt: excerpt)
        }
        func fail(_ errorClass: DeliveryErrorClass, _ text: String = reason) -> DeliveryOutcome {
            .permanent(reason: trim(text), httpStatus: status, errorClass: errorClass, responseExcerpt: excerpt)
        }
        // `Retry-After` counts on an HTTP 200 too: monday sends it with its errors.
        let asked = DeliveryClassifier.retryAfter(response.headers, status: status, now: now)
        let config = DestinationConfig(destination, kindName: MondayStatusAdapter.name)
        let board = (try? config.string("board_id", "boardId")) ?? nil
        switch error.code {
        case let code? where waitCodes.contains(code):
            return retry(.rateLimited, after: error.retryIn ?? asked)
        case "DAILY_LIMIT_EXCEEDED"?:
            return retry(.rateLimited, after: untilNextUTCMidnight(from: now))
        case "ColumnValueException"?, "CorrectedValueException"?:
            let label = ((try? config.string("label")) ?? nil) ?? ""
            let column = ((try? config.string("column_id", "columnId")) ?? nil) ?? "?"
            return fail(
                .configuration,
                "monday refused the label “\(label)” for column \(column) of board \(board ?? "?"): it must match a label of that "
                    + "status column exactly — \(reason)"
            )
        case "InvalidItemIdException"?:
            return fail(.invalidLead, "the lead's monday item is not on board \(board ?? "?") (deleted or moved) — \(reason)")
        case "ResourceNotFoundException"?:
            let aboutItem = error.message?.lowercased().contains("item") ?? false
            return fail(aboutItem ? .invalidLead : .configuration)
        case let code? where configurationCodes.contains(code):
            return fail(.configuration)
        case "INTERNAL_SERVER_ERROR"?, "API_TEMPORARILY_BLOCKED"?:
            return retry(.serverError, after: error.retryIn ?? asked)
        default:
            if let statusCode = error.statusCode, (500...599).contains(statusCode) { return retry(.serverError, after: error.retryIn ?? asked) }
            if common.isRetryable { return common }
            return fail(status == 200 ? .badRequest : common.errorClass ?? .badRequest)
        }
    }

    /// From `now` to the next 00:00 UTC (monday's daily call count resets then).
    static func untilNextUTCMidnight(from now: Date) -> Duration {
        let day: TimeInterval = 86_400
        let next = (now.timeIntervalSince1970 / day).rounded(.down) * day + day
        return .milliseconds(Int64(((next - now.timeIntervalSince1970) * 1_000).rounded(.up)))
    }
}
