import Foundation

/// Reads the token endpoint's answer: `200 {"access_token","expires_in","token_type"}`, or an
/// OAuth error `{"error","error_description"}`.
enum GoogleTokenAnswer {
    /// The longest part of Google's `error_description` (or of a non-JSON body) kept in an error.
    static let reasonLimit = 300

    /// The token in a `status` answer with `body`, requested at `requestedAt`; or why there is none.
    static func interpret(status: Int, body: [UInt8], requestedAt: Date) -> Result<GoogleAccessToken, GoogleTokenError> {
        let fields = (try? JSONValue.parse(body))?.objectMembers ?? [:]
        if (200..<300).contains(status) {
            guard case .string(let value)? = fields["access_token"], !value.isEmpty else {
                return .failure(.unavailable("the token endpoint answered HTTP \(status) without an access_token"))
            }
            let lifetime = fields["expires_in"]?.scalarText.flatMap(Double.init) ?? GoogleJWTAssertion.lifetime
            return .success(GoogleAccessToken(value: value, expiresAt: requestedAt.addingTimeInterval(max(0, lifetime))))
        }
        let code = fields["error"]?.scalarText
        let detail = fields["error_description"]?.scalarText.map { String($0.prefix(reasonLimit)) }
        if status == 408 || status == 429 || status >= 500 || code == "internal_failure" {
            let reason = [code, detail].compactMap { $0 }.joined(separator: ": ")
            return .failure(.unavailable("the token endpoint answered HTTP \(status)" + (reason.isEmpty ? "" : " (\(reason))")))
        }
        if code == nil && detail == nil {
            let text = String(decoding: body.prefix(reasonLimit), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failure(.refused(status: status, code: nil, detail: text.isEmpty ? nil : text))
        }
        return .failure(.refused(status: status, code: code, detail: detail))
    }
}
