import Foundation

/// The WhatsApp Cloud API webhook (reference §3.5): `entry[].changes[].value` with
/// `metadata.phone_number_id`, the people's `messages[]` and our messages' `statuses[]`.
///
/// Parsing is defensive: `entry[]` and `changes[]` are arrays, one POST may hold many items,
/// changes of other `field`s, unknown message types and unknown statuses are skipped with a note,
/// never refused, so Meta does not re-deliver them for a week.
public struct WhatsAppWebhookPayload: Sendable, Hashable {
    /// A message a person sent to one of the tenant's WhatsApp numbers.
    public struct Message: Sendable, Hashable {
        /// `metadata.phone_number_id`: the tenant's number that received it.
        public var phoneNumberId: String?
        /// `from`: the person's `wa_id` (digits of the phone number, no `+`).
        public var waId: String
        /// `id`: the `wamid.…` of the message.
        public var id: String
        /// `type`: `text`, `image`, `button`, `interactive`, `reaction`, …
        public var type: String
        /// The text of a `text` message exactly as received; a `button`'s or `interactive` reply's
        /// title; else a short placeholder such as `[image]` (with the caption when there is one).
        public var body: String
    }

    /// A delivery status of a message we sent.
    public struct Status: Sendable, Hashable {
        /// `metadata.phone_number_id`: the tenant's number that sent it.
        public var phoneNumberId: String?
        /// `id`: the `wamid.…` returned when it was sent.
        public var id: String
        /// `status` as sent, lower-cased: `sent`, `delivered`, `read`, `failed`, `played`, ….
        public var status: String
        /// `errors[0].code` of a failure, e.g. `131026`.
        public var errorCode: String?
        /// `errors[0].title`, with `error_data.details` after it when present.
        public var errorReason: String?
    }

    public var messages: [Message] = []
    public var statuses: [Status] = []
    /// What was skipped and why, e.g. `change field account_update`.
    public var skipped: [String] = []

    /// Reads a webhook body.
    ///
    /// - Throws: 400 for an empty or malformed body; 422 when it is not a JSON object or its `object`
    ///   is not `whatsapp_business_account`.
    public init(body: [UInt8]) throws(WebhookRejection) {
        let root = try WebhookJSON.object(body)
        guard let object = root["object"]?.webhookString, object == "whatsapp_business_account" else {
            throw .rejected(422, #"expected "object": "whatsapp_business_account""#)
        }
        for entry in root["entry"]?.webhookArray ?? [] {
            for change in entry.webhookObject?["changes"]?.webhookArray ?? [] {
                guard let change = change.webhookObject else { continue }
                let field = change["field"]?.webhookString ?? "?"
                guard field == "messages", let value = change["value"]?.webhookObject else {
                    skipped.append("change field \(field)")
                    continue
                }
                read(value)
            }
        }
    }

    private mutating func read(_ value: [String: JSONValue]) {
        let phoneNumberId = value["metadata"]?.webhookObject?["phone_number_id"]?.webhookText
        for item in value["messages"]?.webhookArray ?? [] {
            guard let item = item.webhookObject, let from = item["from"]?.webhookText, let id = item["id"]?.webhookText else {
                skipped.append("a message without from or id")
                continue
            }
            let type = item["type"]?.webhookText ?? "unknown"
            guard type != "system" else {
                skipped.append("system message \(id)")
                continue
            }
            messages.append(Message(phoneNumberId: phoneNumberId, waId: from, id: id, type: type, body: Self.body(of: item, type: type)))
        }
        for item in value["statuses"]?.webhookArray ?? [] {
            guard let item = item.webhookObject, let id = item["id"]?.webhookText, let status = item["status"]?.webhookText else {
                skipped.append("a status without id or status")
                continue
            }
            let error = item["errors"]?.webhookArray?.first?.webhookObject
            let title = error?["title"]?.webhookText ?? error?["message"]?.webhookText
            let details = error?["error_data"]?.webhookObject?["details"]?.webhookText
            statuses.append(
                Status(
                    phoneNumberId: phoneNumberId,
                    id: id,
                    status: status.lowercased(),
                    errorCode: error?["code"]?.webhookInt64.map(String.init) ?? error?["code"]?.webhookText,
                    errorReason: [title, details].compactMap { $0 }.joined(separator: ": ").nilIfEmpty
                )
            )
        }
        if let errors = value["errors"]?.webhookArray, !errors.isEmpty {
            let codes = errors.compactMap { $0.webhookObject?["code"]?.webhookText }
            skipped.append("system error \(codes.joined(separator: ", "))")
        }
    }

    /// The text of a message: its own for `text`, the chosen title for `button` and `interactive`,
    /// the emoji for `reaction`; else `[type]` with the caption or file name when one is sent.
    private static func body(of item: [String: JSONValue], type: String) -> String {
        let content = item[type]?.webhookObject
        switch type {
        case "text":
            return content?["body"]?.webhookString ?? ""
        case "button":
            return content?["text"]?.webhookString ?? content?["payload"]?.webhookString ?? "[button]"
        case "interactive":
            let reply = content?["button_reply"]?.webhookObject ?? content?["list_reply"]?.webhookObject
            return reply?["title"]?.webhookString ?? "[interactive]"
        case "reaction":
            return "[reaction" + (content?["emoji"]?.webhookString.map { " \($0)" } ?? "") + "]"
        default:
            let caption = content?["caption"]?.webhookString ?? content?["filename"]?.webhookString
            return "[\(type)]" + (caption.map { " \($0)" } ?? "")
        }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
