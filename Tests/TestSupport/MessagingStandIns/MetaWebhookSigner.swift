import Foundation
import Shared

/// Builds and signs WhatsApp Cloud API webhook bodies as Meta sends them (reference §3.5): JSON
/// whose non-ASCII text is written as `\uXXXX` escapes, and `X-Hub-Signature-256` computed over
/// exactly those bytes with the app secret.
public struct MetaWebhookSigner: Sendable {
    /// The Meta app's secret.
    public var appSecret: String

    /// A signer with `appSecret`.
    public init(appSecret: String) {
        self.appSecret = appSecret
    }

    /// The `X-Hub-Signature-256` value of `body`: `sha256=` and the lower-case hex HMAC-SHA256.
    public func signature(of body: [UInt8]) -> String {
        WebhookSignatures.hexSignature(body: body, secret: appSecret)
    }

    /// A notification with one text message `text` from `waId` (digits) to `phoneNumberId`.
    public static func textMessage(phoneNumberId: String, waId: String, id: String, text: String) -> [UInt8] {
        let message = #"{"from":"\#(waId)","id":"\#(id)","timestamp":"1749416383","type":"text","text":{"body":\#(quoted(text))}}"#
        return notification(
            phoneNumberId: phoneNumberId,
            value: #""contacts":[{"profile":{"name":"Dani"},"wa_id":"\#(waId)"}],"messages":[\#(message)]"#
        )
    }

    /// A notification with one status per item, in order; `errorCode` adds an `errors[0]` entry.
    public static func statuses(phoneNumberId: String, _ items: [(id: String, status: String, errorCode: Int?)]) -> [UInt8] {
        let statuses = items.map { item in
            let errors = item.errorCode.map {
                #","errors":[{"code":\#($0),"title":"Message undeliverable","error_data":{"details":"Not a WhatsApp user"}}]"#
            }
            return #"{"id":"\#(item.id)","status":"\#(item.status)","timestamp":"1698903217","recipient_id":"972501234567""#
                + (errors ?? "") + "}"
        }
        return notification(phoneNumberId: phoneNumberId, value: #""statuses":[\#(statuses.joined(separator: ","))]"#)
    }

    /// `value`'s members (after `messaging_product` and `metadata`) in Meta's envelope.
    public static func notification(phoneNumberId: String, value: String) -> [UInt8] {
        let metadata = #""metadata":{"display_phone_number":"15550783881","phone_number_id":"\#(phoneNumberId)"}"#
        let change = #"{"field":"messages","value":{"messaging_product":"whatsapp",\#(metadata),\#(value)}}"#
        return Array(#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[\#(change)]}]}"#.utf8)
    }

    /// `text` as a JSON string with every non-ASCII UTF-16 unit escaped as `\uXXXX`, as Meta writes it.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }
}
