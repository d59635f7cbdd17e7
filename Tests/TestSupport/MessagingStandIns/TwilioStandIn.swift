import Foundation

extension StandInAnswer {
    /// Twilio's 201 for a created message: `sid`, `status` `queued` and Twilio's own segment count.
    public static func twilioCreated(sid: String = "SM00000000000000000000000000000001", segments: Int = 1) -> Self {
        .json(201, #"{"sid":"\#(sid)","status":"queued","num_segments":"\#(segments)","error_code":null,"error_message":null}"#)
    }

    /// A Twilio error in its legacy body (what the Messages API returns).
    public static func twilioError(status: Int, code: Int, message: String) -> Self {
        .json(
            status,
            #"{"code":\#(code),"message":"\#(message)","more_info":"https://www.twilio.com/docs/errors/\#(code)","status":\#(status)}"#
        )
    }
}

/// What Twilio's Messages API requires of a create call (reference §2.1), checked on a recorded
/// request: the path for the account, Basic `account_sid:auth_token`, a form body with exactly
/// `To`, `From` or `MessagingServiceSid`, `Body` and optionally `StatusCallback`.
public enum TwilioRequestCheck {
    /// The problems found; empty when the request is what Twilio accepts.
    public static func problems(_ request: RecordedRequest, accountSid: String, authToken: String) -> [String] {
        var problems: [String] = []
        if request.method != "POST" { problems.append("method \(request.method), not POST") }
        if request.path != "/2010-04-01/Accounts/\(accountSid)/Messages.json" { problems.append("path \(request.path)") }
        let basic = "Basic " + Data("\(accountSid):\(authToken)".utf8).base64EncodedString()
        if request.header("Authorization") != basic { problems.append("Authorization is not Basic account_sid:auth_token") }
        if request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") != true {
            problems.append("Content-Type \(request.header("Content-Type") ?? "none")")
        }
        let form = formFields(request.body)
        let names = Set(form.map(\.name))
        if names.count != form.count { problems.append("a form field is repeated") }
        if !names.contains("To") { problems.append("no To") }
        if !names.contains("Body") { problems.append("no Body") }
        if names.contains("From") == names.contains("MessagingServiceSid") { problems.append("needs exactly one of From and MessagingServiceSid") }
        let unknown = names.subtracting(["To", "From", "MessagingServiceSid", "Body", "StatusCallback"])
        if !unknown.isEmpty { problems.append("unexpected fields \(unknown.sorted())") }
        return problems
    }

    /// The form body's fields in order, percent- and plus-decoded as UTF-8 bytes (never
    /// normalized: compare `Array(value.utf8)` for byte-exact text).
    public static func formFields(_ body: [UInt8]) -> [(name: String, value: String)] {
        body.split(separator: UInt8(ascii: "&")).map { piece in
            let parts = piece.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The value of form field `name`.
    public static func field(_ name: String, in body: [UInt8]) -> String? {
        formFields(body).first { $0.name == name }?.value
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                output.append(value)
                index += 3
            } else {
                output.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension StandInAnswer {
    /// Graph's 200 for an accepted WhatsApp message (reference §3.1).
    public static func whatsAppAccepted(id: String = "wamid.HBgLMTIwMTU1NTAxMjMVAgARGBI", waId: String = "12015550123") -> Self {
        .json(
            200,
            #"{"messaging_product":"whatsapp","contacts":[{"input":"\#(waId)","wa_id":"\#(waId)"}],"#
                + #""messages":[{"id":"\#(id)","message_status":"accepted"}]}"#
        )
    }

    /// A Graph error envelope with `code` and `details`.
    public static func whatsAppError(status: Int = 400, code: Int, details: String) -> Self {
        .json(
            status,
            #"{"error":{"message":"(#\#(code)) \#(details)","type":"OAuthException","code":\#(code),"#
                + #""error_data":{"messaging_product":"whatsapp","details":"\#(details)"},"fbtrace_id":"AbC"}}"#
        )
    }
}
