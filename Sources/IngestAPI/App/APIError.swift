import Foundation
import Hummingbird
import NIOCore
import Shared

/// An error answered to API clients as JSON: `{"error": {"code": …, "message": …, "details": …}}`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// Machine-readable code, e.g. `payload_too_large`.
    public var code: String
    /// What went wrong, in words a developer can act on.
    public var message: String
    /// Field-level problems, when there are any.
    public var details: [FieldIssue]
    /// Extra headers such as `Retry-After`.
    public var headers: HTTPFields

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, code: String, message: String, details: [FieldIssue] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = APIErrorBody(error: .init(code: code, message: message, details: details.isEmpty ? nil : details))
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"code":"internal","message":"encoding failed"}}"#.utf8)
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The JSON shape of an ``APIError``.
struct APIErrorBody: Encodable {
    struct Inner: Encodable {
        var code: String
        var message: String
        var details: [FieldIssue]?
    }

    var error: Inner
}
