/// How many SMS messages a text is sent as, and in which encoding: what a carrier bills and what
/// `delivery_attempts.message_segments` records.
///
/// GSM-7 when every character is in the GSM 03.38 basic or extension table (an extension
/// character, `^{}\[~]|€` or form feed, takes two septets); otherwise UCS-2, counted in UTF-16
/// units (an emoji outside the BMP takes two). A text that fits one message is one segment;
/// a longer one is cut into parts of 153 septets or 67 units, and a cut never splits an escape
/// pair or a surrogate pair, so a part may hold one unit less.
public struct SMSSegments: Sendable, Hashable {
    /// GSM-7 or UCS-2.
    public let encoding: SMSEncoding
    /// The messages the text is sent as; 0 for an empty text.
    public let count: Int
    /// The text's length in the encoding's units: septets for GSM-7, UTF-16 units for UCS-2.
    public let units: Int

    /// Counts the segments of `text`.
    public init(text: String) {
        let gsmSeptets = text.unicodeScalars.map(GSM7Alphabet.septets)
        if gsmSeptets.allSatisfy({ $0 != nil }) {
            self.init(encoding: .gsm7, characterUnits: gsmSeptets.compactMap { $0 })
        } else {
            self.init(encoding: .ucs2, characterUnits: text.unicodeScalars.map { $0.utf16.count })
        }
    }

    /// Packs characters of `characterUnits` units each (1 or 2) into segments without splitting one.
    private init(encoding: SMSEncoding, characterUnits: [Int]) {
        self.encoding = encoding
        self.units = characterUnits.reduce(0, +)
        if units == 0 {
            self.count = 0
        } else if units <= encoding.singleMessageCapacity {
            self.count = 1
        } else {
            var segments = 1
            var filled = 0
            for size in characterUnits {
                if filled + size > encoding.segmentCapacity {
                    segments += 1
                    filled = 0
                }
                filled += size
            }
            self.count = segments
        }
    }
}
