import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension GoogleAccessTokenProvider {
    /// The most of the token endpoint's answer that is read.
    static let maxAnswerBytes = 64 * 1_024
    /// How much later than the HTTP client's deadline the outer limit (which also bounds a
    /// stalling body) fires.
    static let outerTimeoutGrace: Duration = .milliseconds(250)
    /// The JWT bearer grant, form-encoded.
    static let grantType = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"

    /// One exchange: a fresh assertion, `POST tokenURL` as a form, and the answer read.
    func exchange() async -> Result<GoogleAccessToken, GoogleTokenError> {
        let requestedAt = now()
        let assertion: String
        do {
            assertion = try GoogleJWTAssertion(key: key, scope: scope, audience: tokenURL, now: requestedAt).signed(with: key)
        } catch {
            return .failure(.misconfigured("the service-account key could not sign the assertion"))
        }
        var request = HTTPClientRequest(url: tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: DestinationRequestBuilder.userAgent)
        // A JWT is base64url and dots only: nothing in it needs form encoding.
        request.body = .bytes(ByteBuffer(string: "grant_type=\(Self.grantType)&assertion=\(assertion)"))
        let prepared = request
        let client = httpClient
        let allowPrivate = allowPrivateNetwork
        let limit = timeout
        let (seconds, attoseconds) = limit.components
        let deadline = NIODeadline.now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        do {
            let (status, body) = try await withTimeout(limit + Self.outerTimeoutGrace, operation: "the Google token request") {
                let response = try await client.execute(prepared, deadline: deadline, allowPrivateNetwork: allowPrivate)
                let body = try await response.body.collect(upTo: Self.maxAnswerBytes)
                return (Int(response.status.code), Array(body.readableBytesView))
            }
            return GoogleTokenAnswer.interpret(status: status, body: body, requestedAt: requestedAt)
        } catch let refusal as OutboundRefusal {
            return .failure(.misconfigured("the token URL: \(refusal)"))
        } catch let refusal as UnsupportedURLSchemeError {
            return .failure(.misconfigured("the token URL: \(refusal)"))
        } catch {
            return .failure(.unavailable("the token request failed: \(error)"))
        }
    }
}
