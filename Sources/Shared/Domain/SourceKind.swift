/// How a source's leads arrive.
public enum SourceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case api, form, csv, webhook
    /// Rows of a Google Sheets spreadsheet, polled by the workers.
    case sheet
    /// Shopmonkey customers (and orders), polled by the workers.
    case shopmonkeyPoll = "shopmonkey_poll"

    /// Whether the workers poll every source of this kind (a shopmonkey webhook source polls too
    /// when its config has `poll`).
    public var isPolled: Bool { self == .sheet || self == .shopmonkeyPoll }
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
