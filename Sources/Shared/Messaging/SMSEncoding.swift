/// How an SMS body travels: GSM 03.38 7-bit septets or UCS-2 (UTF-16) code units. The raw values
/// are stored in `delivery_attempts.message_encoding` and `messages.encoding`.
public enum SMSEncoding: String, Sendable, Hashable, CaseIterable, Codable {
    /// GSM 03.38: 160 septets in one message, 153 per part of a longer one.
    case gsm7
    /// UCS-2: 70 UTF-16 units in one message, 67 per part of a longer one.
    case ucs2

    /// The most one single-part message holds.
    public var singleMessageCapacity: Int {
        switch self {
        case .gsm7: 160
        case .ucs2: 70
        }
    }

    /// The most each part of a longer (concatenated) message holds; the rest is its header.
    public var segmentCapacity: Int {
        switch self {
        case .gsm7: 153
        case .ucs2: 67
        }
    }
}
