import Foundation

/// How a ``DeliveryRequest`` travels: an HTTP call (every CRM, WhatsApp, Twilio, SendGrid) or an
/// SMTP submission (the `smtp` destination), which ``DestinationClient`` hands to ``SMTPClient``.
public enum DeliveryTransport: Sendable {
    /// The request's method, URL, headers and body are sent over HTTP(S).
    case http
    /// The message is submitted to a mail server; the request's URL (`smtp://host:port`) only
    /// names it for logs.
    case smtp(SMTPSubmission)
}

/// One message for one mail server: where and how to connect (``SMTPConfiguration``, password
/// included) and what to send.
public struct SMTPSubmission: Sendable {
    /// The server, TLS mode and credentials.
    public var configuration: SMTPConfiguration
    /// The message (its Message-ID is the delivery's external id).
    public var message: SMTPMessage

    /// A submission of `message` through `configuration`.
    public init(configuration: SMTPConfiguration, message: SMTPMessage) {
        self.configuration = configuration
        self.message = message
    }
}
