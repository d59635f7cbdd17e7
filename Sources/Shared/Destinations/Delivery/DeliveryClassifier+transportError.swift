import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

extension DeliveryClassifier {
    /// The outcome when no HTTP answer arrived: timeouts, refused or dropped connections and
    /// cancellation are retryable; a URL the client cannot use is permanent. `timeout` (the
    /// destination's limit) words the reason; the secret is masked in it.
    public static func classify(
        error: any Error,
        timeout: Duration? = nil,
        scrubber: SecretScrubber = SecretScrubber(secret: nil)
    ) -> DeliveryOutcome {
        let limit = timeout.map { " within \($0.wholeMilliseconds) ms" } ?? ""
        /// A retryable outcome without an HTTP answer.
        func retry(_ errorClass: DeliveryErrorClass, _ reason: String) -> DeliveryOutcome {
            .retryable(reason: scrubbed(reason, scrubber), httpStatus: nil, retryAfter: nil, errorClass: errorClass, responseExcerpt: nil)
        }
        switch error {
        case let refusal as OutboundRefusal:
            return .permanent(reason: refusal.description, httpStatus: nil, errorClass: .configuration, responseExcerpt: nil)
        case let scheme as UnsupportedURLSchemeError:
            return .permanent(reason: scheme.description, httpStatus: nil, errorClass: .configuration, responseExcerpt: nil)
        case let lookup as HostLookupError:
            return retry(.connection, lookup.description)
        case is CancellationError:
            return retry(.cancelled, "the attempt was cancelled before an answer arrived")
        case is TimeoutError:
            return retry(.timeout, "no answer\(limit)")
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return retry(.timeout, "no answer\(limit)")
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout, .socksHandshakeTimeout,
                .httpProxyHandshakeTimeout:
                return retry(.connection, "could not connect\(limit) (\(error.shortDescription))")
            case .remoteConnectionClosed:
                return retry(.connection, "the destination closed the connection before answering")
            case .cancelled:
                return retry(.cancelled, "the attempt was cancelled before an answer arrived")
            case .invalidURL, .emptyHost, .emptyScheme:
                return .permanent(
                    reason: "the destination URL cannot be used (\(error.shortDescription))",
                    httpStatus: nil,
                    errorClass: .configuration,
                    responseExcerpt: nil
                )
            default:
                return retry(.transport, "HTTP client error: \(error.shortDescription)")
            }
        case let smtp as SMTPError:
            switch smtp.kind {
            case .transient: return retry(.connection, "the mail server \(smtp.description)")
            case .credentialsRejected:
                return .retryable(
                    reason: scrubbed("the mail server refused the user name and password (\(smtp.description))", scrubber),
                    httpStatus: nil,
                    retryAfter: nil,
                    errorClass: .credentialRejected,
                    responseExcerpt: nil
                )
            case .permanent:
                return .permanent(
                    reason: scrubbed(smtp.description, scrubber),
                    httpStatus: nil,
                    errorClass: smtp.step == .recipient ? .invalidLead : .configuration,
                    responseExcerpt: nil
                )
            }
        case is NIOConnectionError, is IOError, is ChannelError:
            return retry(.connection, "could not connect: \(String(describing: error))")
        default:
            return retry(.transport, "request failed: \(String(describing: error))")
        }
    }
}
