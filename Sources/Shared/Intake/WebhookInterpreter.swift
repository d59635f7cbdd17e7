import Foundation

/// Verifies and interprets a webhook request according to its source's preset (see the
/// webhook issue and `crm-apis.md`): generic/Zapier, Meta Lead Ads, monday, Shopmonkey, and
/// Twilio and WhatsApp messaging (replies and statuses, not leads) and email replies (SendGrid Inbound Parse).
public enum WebhookInterpreter {
    /// The interpretation of `request` for `source` with its decrypted `secrets`, or the rejection
    /// to answer (and record). `verify: false` skips signature checks: only for replaying an
    /// event that passed them when it arrived.
    public static func interpret(
        _ request: WebhookRequest,
        source: Source,
        secrets: SourceSecrets,
        now: Date = Date(),
        verify: Bool = true
    ) throws(WebhookRejection) -> WebhookInterpretation {
        let secrets = verify ? secrets : secrets.withoutSigningKeys
        let preset = source.preset ?? .generic
        if request.method == "GET" {
            guard preset == .facebook || preset == .whatsapp else {
                throw WebhookRejection(status: 405, outcome: "rejected", reason: "this webhook takes POST requests")
            }
            return try metaVerification(request, secrets: secrets)
        }
        switch preset {
        case .generic, .zapier:
            if let secret = secrets.signingSecret {
                try WebhookSignatures.verifyGeneric(body: request.body, header: request.headers["x-leadrelay-signature"], secret: secret)
            }
            return .leads(try GenericWebhookPayload.items(body: request.body, contentType: request.contentType), externalEventId: nil)
        case .facebook:
            if let secret = secrets.appSecret {
                try WebhookSignatures.verifyMeta(body: request.body, header: request.headers["x-hub-signature-256"], appSecret: secret)
            }
            let changes = try MetaLeadgenPayload.changes(body: request.body)
            guard !changes.isEmpty else { return .ignored("no leadgen changes in this notification", externalEventId: nil) }
            return .fetch("\(changes.count) Meta lead\(changes.count == 1 ? "" : "s") to fetch from the Graph API")
        case .monday:
            let event = try MondayPayload.event(body: request.body)
            if case .challenge(let challenge) = event {
                let body = (try? JSONEncoder().encode(["challenge": challenge])) ?? Data()
                return .challenge(contentType: "application/json", body: Array(body))
            }
            if let secret = secrets.signingSecret {
                try WebhookSignatures.verifyMondayJWT(authorization: request.headers["authorization"], signingSecret: secret, now: now)
            }
            switch event {
            case .createPulse(_, let pulseId, let name, let columnValues):
                if secrets.apiToken != nil { return .fetch("monday item \(pulseId) to fetch by GraphQL") }
                // The item id, as the fetched path records it: a monday_status destination writes back to it.
                var fields = MondayPayload.pulseFields(name: name, columnValues: columnValues)
                fields["external_id"] = .string("monday:\(pulseId)")
                return .leads([fields], externalEventId: "pulse:\(pulseId)")
            case .other(let type):
                return .ignored("monday event \(type)", externalEventId: nil)
            case .challenge:
                return .ignored("challenge", externalEventId: nil)
            }
        case .shopmonkey:
            let webhookId = request.headers["webhook-id"]
            if let secret = secrets.signingSecret {
                try WebhookSignatures.verifyStandardWebhook(
                    id: webhookId,
                    timestamp: request.headers["webhook-timestamp"],
                    signatures: request.headers["webhook-signature"],
                    body: request.body,
                    secret: secret,
                    now: now
                )
            }
            switch try ShopmonkeyPayload.event(body: request.body) {
            case .customer(let fields): return .leads([fields], externalEventId: webhookId)
            case .ignored(let description): return .ignored(description, externalEventId: webhookId)
            }
        case .twilio:
            return try twilio(request, source: source, secrets: secrets, verify: verify)
        case .whatsapp:
            return try whatsapp(request, secrets: secrets, verify: verify)
        case .email:
            return try email(request)
        }
    }

    /// Meta's subscription check: echo `hub.challenge` when `hub.verify_token` matches.
    static func metaVerification(_ request: WebhookRequest, secrets: SourceSecrets) throws(WebhookRejection) -> WebhookInterpretation {
        guard request.query["hub.mode"] == "subscribe", let challenge = request.query["hub.challenge"] else {
            throw WebhookRejection(status: 400, outcome: "rejected", reason: "expected hub.mode=subscribe with hub.challenge")
        }
        guard let expected = secrets.verifyToken, let presented = request.query["hub.verify_token"],
            ConstantTime.equals(Array(expected.utf8), Array(presented.utf8))
        else {
            throw WebhookRejection(status: 403, outcome: "bad_signature", reason: "hub.verify_token does not match the source's verify token")
        }
        return .challenge(contentType: "text/plain; charset=utf-8", body: Array(challenge.utf8))
    }
}
