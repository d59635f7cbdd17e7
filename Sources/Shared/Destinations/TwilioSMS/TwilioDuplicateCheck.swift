import Foundation
import NIOHTTP1

/// Before sending again after an attempt that may have sent the message (it timed out, its
/// connection dropped, its worker died), ask Twilio whether that attempt's message exists:
/// `GET {base}/2010-04-01/Accounts/{sid}/Messages.json?To=<E.164>&From=<from>&PageSize=50`
/// (To only with a Messaging Service), Basic `account_sid:auth_token`. Twilio's create call is not
/// known to be idempotent (reference §2.1); reading the list first is the reference's advice.
///
/// The list is not filtered by `DateSent`: a message still queued at Twilio has no send date and
/// would be missed. Twilio lists the newest first, and `date_created` is compared here instead.
///
/// A message to the same number whose body equals the rendered body byte for byte and which
/// Twilio created at or after the uncertain attempt's start (less ``clockSkew``) is that
/// attempt's message: the delivery succeeds with its sid and nothing is sent again.
enum TwilioDuplicateCheck {
    /// How far Twilio's clock may run behind ours (`date_created` has whole seconds).
    static let clockSkew: TimeInterval = 60
    /// Messages read in one page; Twilio lists the newest first.
    static let pageSize = 50

    /// The check for `request` (the create call about to be made again) after an attempt that
    /// started at `since`; nil when the destination's config cannot be read (then no check is made).
    static func build(since: Date, sending request: DeliveryRequest, destination: Destination, secret: String?) -> DuplicateCheck? {
        guard let message = request.message else { return nil }
        do throws(DeliveryBuildError) {
            let config = DestinationConfig(destination, kindName: TwilioSMSAdapter.name)
            let token = try DestinationRequestBuilder.requireSecret(secret, for: destination)
            let account = try config.requiredString("account_sid", "accountSid")
            let earliest = since.addingTimeInterval(-clockSkew)
            var query: [(name: String, value: String)] = [("To", message.recipient)]
            if let from = try config.string("from") { query.append(("From", from)) }
            query.append(("PageSize", "\(pageSize)"))
            var base = destination
            if let override = try config.string("api_base_url", "apiBaseUrl") { base.baseURL = override }
            let path = "/2010-04-01/Accounts/\(DestinationRequestBuilder.pathSegment(account))/Messages.json"
            let url = try DestinationRequestBuilder.endpoint(base, defaultBase: TwilioMessageRequest.defaultBaseURL, path: path)
            let headers = HTTPHeaders([
                ("Accept", "application/json"), ("User-Agent", DestinationRequestBuilder.userAgent),
                ("Authorization", "Basic " + Data("\(account):\(token)".utf8).base64EncodedString()),
            ])
            let list = DeliveryRequest(
                method: .GET,
                url: url + "?" + String(decoding: FormURLEncoded.encode(query), as: UTF8.self),
                headers: headers,
                body: [],
                secret: token
            )
            return DuplicateCheck(request: list) { response in
                interpret(response, recipient: message.recipient, sender: message.sender, body: message.text, earliest: earliest)
            }
        } catch {
            return nil
        }
    }

    /// Reads Twilio's message list: the earliest message to `recipient` with exactly `body`,
    /// created at or after `earliest` (through `sender` when it is a Messaging Service), is already
    /// sent; none on a complete first page is not sent; anything else is unknown.
    static func interpret(_ response: DeliveryResponse, recipient: String, sender: String, body: String, earliest: Date) -> DuplicateCheckResult {
        guard response.status == 200 else { return .unknown(reason: "Twilio answered HTTP \(response.status) to the message list") }
        guard let list = DeliveryClassifier.parseJSON(response.body)?.objectMembers,
            case .array(let messages)? = list["messages"]
        else {
            return .unknown(reason: "Twilio's message list could not be read")
        }
        let wanted = Array(body.utf8)
        let parser = dateParser()
        var found: (sid: String, created: Date)?
        for case .object(let fields) in messages {
            guard case .string(let sid)? = fields["sid"], case .string(let to)? = fields["to"], to == recipient,
                case .string(let text)? = fields["body"], Array(text.utf8) == wanted,
                case .string(let createdText)? = fields["date_created"], let created = parser.date(from: createdText), created >= earliest
            else { continue }
            if case .string(let direction)? = fields["direction"], direction.hasPrefix("inbound") { continue }
            if sender.hasPrefix("MG"), case .string(let service)? = fields["messaging_service_sid"], service != sender { continue }
            if found.map({ created < $0.created }) ?? true { found = (sid, created) }
        }
        if let found { return .alreadySent(externalId: found.sid) }
        if case .string(let next)? = list["next_page_uri"], !next.isEmpty {
            return .unknown(reason: "the newest \(pageSize) messages to the number do not include it, and there are more")
        }
        return .notSent
    }

    /// Twilio's RFC 2822 dates: `Thu, 30 Jul 2015 20:12:31 +0000`.
    static func dateParser() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }
}
