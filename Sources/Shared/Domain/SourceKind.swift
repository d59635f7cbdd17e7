/// How a source's leads arrive.
public enum SourceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case api, form, csv, webhook
}

/// Which provider's webhook format a webhook source speaks.
public enum WebhookPreset: String, Sendable, Hashable, Codable, CaseIterable {
    case generic, zapier, facebook, monday, shopmonkey
    /// Twilio messaging: SMS replies and delivery status callbacks (not leads).
    case twilio
    /// WhatsApp Cloud API messaging: replies and delivery statuses (not leads), signed by Meta.
    case whatsapp
    /// Email replies posted by SendGrid Inbound Parse (multipart, unsigned: the token is the protection).
    case email
}
