import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers

/// Gives every request an id and writes one access-log line per request.
///
/// The id is the caller's `X-Request-Id` when it is a sane token (up to 128 of `A-Z a-z 0-9 . _ -`),
/// otherwise Hummingbird's own; it is echoed in the response's `X-Request-Id` and attached to the
/// request's logger as `request_id`, so every line logged while handling the request carries it.
/// The line names the matched route template (`/hooks/{token}`), never the raw path, so tokens in
/// URLs and query strings are not logged. Health and metrics probes are logged at debug level.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestID = Self.acceptedRequestID(request.headers[.requestID]) ?? context.id
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestID)
        let started = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = requestID
            log(request, context: context, status: response.status.code, started: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context: context, status: status, started: started)
            throw RequestIDTaggedError(base: error, requestID: requestID)
        }
    }

    private func log(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? "unmatched"),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.1f", milliseconds)),
        ]
        metadata.merge(context.accessLog.metadata) { _, added in added }
        let quiet = context.endpointPath.map { $0.hasPrefix("/health") || $0 == "/metrics" } ?? false
        let level: Logger.Level = status >= 500 ? .error : (quiet ? .debug : .info)
        context.logger.log(level: level, "request", metadata: metadata)
    }

    /// The caller's request id when it is a short token of safe characters.
    static func acceptedRequestID(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128 else { return nil }
        let safe = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F
        }
        return safe ? value : nil
    }
}

/// Metadata that handlers and inner middleware add to the request's access-log line (the tenant
/// and API key prefix, counts); a reference, so additions made on inner copies of the context
/// reach the line the outer ``RequestLogMiddleware`` writes.
public final class AccessLogMetadata: Sendable {
    private let storage = NIOLockedValueBox<Logger.Metadata>([:])

    init() {}

    /// Everything added so far.
    var metadata: Logger.Metadata { storage.withLockedValue { $0 } }

    /// Adds (or replaces) one entry.
    func set(_ key: String, _ value: Logger.Metadata.Value) {
        storage.withLockedValue { $0[key] = value }
    }
}

/// An error response that also carries the request id header.
struct RequestIDTaggedError: HTTPResponseError {
    let base: any Error
    let requestID: String

    var status: HTTPResponse.Status { (base as? any HTTPResponseError)?.status ?? .internalServerError }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response: Response
        if let http = base as? any HTTPResponseError {
            response = try http.response(from: request, context: context)
        } else {
            response = Response(status: .internalServerError)
        }
        response.headers[.requestID] = requestID
        return response
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: correlates a caller's request with our log lines.
    public static let requestID: HTTPField.Name = {
        guard let name = HTTPField.Name("X-Request-Id") else { preconditionFailure("invalid header name") }
        return name
    }()
}
