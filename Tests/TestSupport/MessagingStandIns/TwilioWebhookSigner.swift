import Foundation
import Shared

/// Signs webhook requests exactly as Twilio does (reference §2.4): a form body, and
/// `X-Twilio-Signature` computed over the URL given to Twilio (with the request's query) and
/// every form parameter.
public struct TwilioWebhookSigner: Sendable {
    /// The account's auth token.
    public var authToken: String
    /// The URL configured in Twilio, query included when the request has one.
    public var url: String

    /// A signer for requests to `url` from the account with `authToken`.
    public init(authToken: String, url: String) {
        self.authToken = authToken
        self.url = url
    }

    /// The `application/x-www-form-urlencoded` body of `parameters` (UTF-8, every byte but
    /// `A–Z a–z 0–9 - . _ ~` percent-encoded) and its `X-Twilio-Signature`.
    public func sign(_ parameters: [(name: String, value: String)]) -> (body: [UInt8], signature: String) {
        let body = parameters.map { Self.escaped($0.name) + "=" + Self.escaped($0.value) }.joined(separator: "&")
        return (Array(body.utf8), WebhookSignatures.twilioSignature(url: url, parameters: parameters, authToken: authToken))
    }

    /// The parameters of Twilio's inbound SMS webhook (reference §2.5) for a message `from` a person `to` our number.
    public static func inboundSMS(sid: String, from: String, to: String, body: String) -> [(name: String, value: String)] {
        [
            ("ToCountry", "IL"), ("SmsMessageSid", sid), ("NumMedia", "0"), ("SmsSid", sid), ("SmsStatus", "received"),
            ("Body", body), ("To", to), ("NumSegments", "1"), ("MessageSid", sid), ("AccountSid", "AC00000000000000000000000000000001"),
            ("From", from), ("ApiVersion", "2010-04-01"),
        ]
    }

    /// The parameters of a status callback (reference §2.6) for the message `sid` we sent.
    public static func statusCallback(sid: String, status: String, errorCode: Int? = nil) -> [(name: String, value: String)] {
        var parameters: [(name: String, value: String)] = [
            ("SmsSid", sid), ("SmsStatus", status), ("MessageStatus", status), ("To", "+972501234567"), ("MessageSid", sid),
            ("AccountSid", "AC00000000000000000000000000000001"), ("From", "+15005550006"), ("ApiVersion", "2010-04-01"),
        ]
        if let errorCode { parameters.append(("ErrorCode", String(errorCode))) }
        return parameters
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
