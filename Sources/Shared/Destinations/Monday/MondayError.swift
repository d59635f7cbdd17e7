import Foundation

/// One error of a monday GraphQL answer, read from either shape monday uses (reference §5.4):
///
/// - `{"errors": [{"message": …, "extensions": {"code": …, "retry_in_seconds": 60, "status_code": …,
///   "error_data": {…}}}]}` (API ≥ 2025-01; HTTP 200 for application errors);
/// - the legacy top level `{"error_code": …, "error_message": …, "status_code": 429, "error_data":
///   {"retry_in_seconds": 15}}`, still seen with HTTP 200.
struct MondayError: Sendable, Hashable {
    /// `COMPLEXITY_BUDGET_EXHAUSTED`, `ColumnValueException`…; nil for a plain GraphQL error
    /// (a parse or validation error has no code).
    var code: String?
    /// monday's message.
    var message: String?
    /// How long monday asked to wait: `retry_in_seconds` (in `extensions`, `error_data` or the top
    /// level), else the `reset in N seconds` of a legacy complexity message.
    var retryIn: Duration?
    /// The `status_code` monday put in the error, when it did.
    var statusCode: Int?

    /// The error of a monday answer that most decides its outcome (the first one with a code,
    /// else the first); nil when the answer reports none.
    static func first(in json: JSONValue?) -> MondayError? {
        guard let members = json?.objectMembers else { return nil }
        if case .array(let errors)? = members["errors"] {
            let read = errors.compactMap { $0.objectMembers.map(graphQLError) }
            if let chosen = read.first(where: { $0.code != nil }) ?? read.first { return chosen }
        }
        guard members["error_code"]?.scalarText != nil || members["error_message"]?.scalarText != nil else { return nil }
        return MondayError(
            code: members["error_code"]?.scalarText,
            message: members["error_message"]?.scalarText,
            retryIn: seconds(members["retry_in_seconds"]) ?? seconds(members["error_data"]?.objectMembers?["retry_in_seconds"])
                ?? resetIn(members["error_message"]?.scalarText),
            statusCode: members["status_code"].flatMap(integer)
        )
    }

    /// One entry of `errors`.
    private static func graphQLError(_ error: [String: JSONValue]) -> MondayError {
        let extensions = error["extensions"]?.objectMembers ?? [:]
        let message = error["message"]?.scalarText
        return MondayError(
            code: extensions["code"]?.scalarText ?? error["error_code"]?.scalarText,
            message: message,
            retryIn: seconds(extensions["retry_in_seconds"]) ?? seconds(extensions["error_data"]?.objectMembers?["retry_in_seconds"])
                ?? resetIn(message),
            statusCode: extensions["status_code"].flatMap(integer)
        )
    }

    /// A positive number of seconds, given as a number or a digit string.
    private static func seconds(_ value: JSONValue?) -> Duration? {
        guard let text = value?.scalarText, let seconds = Double(text), seconds.isFinite, seconds > 0 else { return nil }
        return .milliseconds(Int64((min(seconds, 7 * 86_400) * 1_000).rounded(.up)))
    }

    /// The N of `… reset in N seconds` (legacy `ComplexityException` messages).
    private static func resetIn(_ message: String?) -> Duration? {
        guard let message, let range = message.range(of: #"reset in [0-9]+ seconds?"#, options: .regularExpression) else { return nil }
        let digits = message[range].filter(\.isASCIIDigit)
        return seconds(.string(String(digits)))
    }

    /// An integer given as a number or a digit string.
    private static func integer(_ value: JSONValue) -> Int? {
        value.scalarText.flatMap { Int($0) }
    }
}
