import Foundation

extension StandInAnswer {
    /// One message of a Twilio message list.
    public struct TwilioListedMessage: Sendable {
        public var sid: String
        public var to: String
        public var from: String
        public var body: String
        public var dateCreated: Date
        public var direction: String

        /// An outbound message created at `dateCreated`.
        public init(sid: String, to: String, from: String = "+15017122661", body: String, dateCreated: Date, direction: String = "outbound-api") {
            self.sid = sid
            self.to = to
            self.from = from
            self.body = body
            self.dateCreated = dateCreated
            self.direction = direction
        }
    }

    /// Twilio's 200 for `GET …/Messages.json`: the page's `messages` (dates in RFC 2822, as
    /// Twilio writes them) and `next_page_uri` (null on the last page).
    public static func twilioMessageList(_ messages: [TwilioListedMessage], nextPageURI: String? = nil) -> Self {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let items = messages.map { message in
            let fields: [String: String] = [
                "sid": message.sid, "to": message.to, "from": message.from, "body": message.body,
                "date_created": formatter.string(from: message.dateCreated), "direction": message.direction, "status": "delivered",
            ]
            return String(decoding: (try? JSONEncoder().encode(fields)) ?? Data("{}".utf8), as: UTF8.self)
        }
        let next = nextPageURI.map { #""\#($0)""# } ?? "null"
        return .json(200, #"{"messages":[\#(items.joined(separator: ","))],"next_page_uri":\#(next),"page":0,"page_size":50}"#)
    }
}
