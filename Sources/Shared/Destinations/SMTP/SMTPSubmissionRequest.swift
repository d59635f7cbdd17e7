import Foundation
import NIOHTTP1

/// A lead's email as an SMTP submission (``DeliveryTransport/smtp(_:)``): the destination's
/// server, TLS mode and user with the password from its secret, and the message rendered from
/// its templates. The Message-ID is `<leadrelay.d<delivery>.l<lead>@<sender's domain>>`: the same
/// on every attempt of a delivery (mail clients show a resent copy as one message), and what a
/// reply's `In-Reply-To` names.
enum SMTPSubmissionRequest {
    /// The request for `lead`; a lead without an email is skipped (``DeliveryBuildError/noAddress(_:)``).
    static func build(lead: DeliveryLead, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: SMTPAdapter.name)
        let configuration = try self.configuration(config, password: secret)
        let content = try EmailContent(lead: lead, config: config)
        let domain = content.from.split(separator: "@").last.map(String.init) ?? "leadrelay.invalid"
        let messageId = lead.deliveryId.map { "<leadrelay.d\($0).l\(lead.id)@\(domain)>" }
        let message = SMTPMessage(
            from: content.from,
            fromName: content.fromName,
            to: [content.recipient],
            replyTo: content.replyTo,
            subject: content.subject,
            body: content.text,
            html: content.html,
            messageId: messageId,
            listUnsubscribe: content.listUnsubscribe
        )
        return DeliveryRequest(
            method: .POST,
            url: "smtp://\(configuration.host):\(configuration.port)",
            headers: [:],
            body: [],
            secret: secret,
            message: content.outboundMessage,
            transport: .smtp(SMTPSubmission(configuration: configuration, message: message))
        )
    }

    /// The server settings of `config`; `password` is the destination's secret.
    static func configuration(_ config: DestinationConfig, password: String?) throws(DeliveryBuildError) -> SMTPConfiguration {
        let host = try config.requiredString("host")
        let tlsName = try config.string("tls") ?? SMTPTransportSecurity.starttls.rawValue
        guard let tls = SMTPTransportSecurity(rawValue: tlsName.lowercased()) else {
            throw .configuration("SMTP tls must be starttls, implicit or none (got \(tlsName))")
        }
        let port = try config.integer("port")
        if let port, !(1...65_535).contains(port) { throw .configuration("SMTP port must be 1 to 65535 (got \(port))") }
        let username = try config.string("username")
        if username != nil, password?.isEmpty ?? true {
            throw .configuration("SMTP username is set but the destination has no password: set its secret")
        }
        var configuration = SMTPConfiguration(
            host: host,
            port: port,
            tls: tls,
            username: username,
            password: username == nil ? nil : password,
            from: try config.requiredString("from")
        )
        if let pem = try config.string("trusted_certificate_pem", "trustedCertificatePem") { configuration.additionalTrustRootsPEM = [pem] }
        return configuration
    }
}
