import Foundation
import NIOHTTP1

/// A fully built HTTP request for one delivery attempt. It carries the credential (in a header
/// or the body), so its `description` is the redacted form: interpolating it into a log line or
/// an error message is safe; reading ``body`` or ``headers`` directly is not.
public struct DeliveryRequest: Sendable {
    /// `POST` for every kind but configured JSON-over-HTTP destinations (POST, PUT or PATCH).
    public var method: HTTPMethod
    /// Absolute `http`/`https` URL.
    public var url: String
    /// Every header to send, the credential included (``redactedDescription`` masks it).
    public var headers: HTTPHeaders
    /// The body bytes, in whatever encoding the adapter set `Content-Type` for (JSON for every kind
    /// today; form-encoded or other for channels that need it); empty for none.
    public var body: [UInt8]
    /// Masks the credential in descriptions, excerpts and reasons tied to this request.
    public let scrubber: SecretScrubber
    /// For a message to a person (SMS, WhatsApp, email): what is sent to whom; nil for CRM calls.
    public var message: OutboundMessage?
    /// HTTP for every kind but `smtp`, whose message goes to a mail server.
    public var transport: DeliveryTransport
    /// A second call made with this one's answer (GoHighLevel tags); nil for one call.
    public var followUp: DeliveryFollowUp?

    /// Creates a request; `secret` is the credential it carries, masked in every description.
    public init(
        method: HTTPMethod,
        url: String,
        headers: HTTPHeaders,
        body: [UInt8],
        secret: String?,
        message: OutboundMessage? = nil,
        transport: DeliveryTransport = .http
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.scrubber = SecretScrubber(secret: secret)
        self.message = message
        self.transport = transport
    }

    /// The body as text (UTF-8). Contains the secret for kinds that carry it in the body.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
