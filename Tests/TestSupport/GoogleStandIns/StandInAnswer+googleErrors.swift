import Foundation
import Shared

/// Google API errors as the Sheets API sends them: `{"error": {"code", "message", "status", "errors"?}}`
/// (reference §6.3–§6.4).
extension StandInAnswer {
    /// A Google error envelope with HTTP status `code`, `status` (`PERMISSION_DENIED`…) and `message`,
    /// plus the legacy `errors` list when `reason` is given.
    public static func googleError(_ code: Int, status: String, message: String, reason: String? = nil) -> Self {
        var error: [String: JSONValue] = [
            "code": .number(JSONNumber(code)), "message": .string(message), "status": .string(status),
        ]
        if let reason {
            error["errors"] = .array([.object(["message": .string(message), "domain": "global", "reason": .string(reason)])])
        }
        return .json(code, JSONValue.object(["error": .object(error)]).compactJSONText)
    }

    /// 429 `RESOURCE_EXHAUSTED`: the per-user read quota (the body captured in reference §6.4).
    public static let googleQuotaExceeded = googleError(
        429,
        status: "RESOURCE_EXHAUSTED",
        message: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' "
            + "of service 'sheets.googleapis.com' for consumer 'project_number:973891363924'.",
        reason: "rateLimitExceeded"
    )

    /// 401 `UNAUTHENTICATED`: a missing, expired or revoked access token.
    public static let googleUnauthenticated = googleError(
        401,
        status: "UNAUTHENTICATED",
        message: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid "
            + "authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        reason: "authError"
    )

    /// 403 `PERMISSION_DENIED`: the spreadsheet is not shared with the service account.
    public static let googlePermissionDenied = googleError(403, status: "PERMISSION_DENIED", message: "The caller does not have permission")

    /// 404 `NOT_FOUND`: no spreadsheet with that id.
    public static let googleNotFound = googleError(404, status: "NOT_FOUND", message: "Requested entity was not found.")

    /// 400 `INVALID_ARGUMENT` with `message` (`Unable to parse range: …`).
    public static func googleInvalidArgument(_ message: String) -> Self {
        googleError(400, status: "INVALID_ARGUMENT", message: message)
    }
}
