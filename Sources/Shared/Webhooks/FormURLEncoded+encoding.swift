extension FormURLEncoded {
    /// `pairs` as an `application/x-www-form-urlencoded` body: names and values UTF-8
    /// percent-encoded (everything but `A–Z a–z 0–9 - . _ ~`, so a space is `%20`), joined by `&`.
    /// Hebrew and emoji arrive byte-exact after the receiver decodes them.
    static func encode(_ pairs: [(name: String, value: String)]) -> [UInt8] {
        var output: [UInt8] = []
        for (index, pair) in pairs.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "&")) }
            appendEscaped(pair.name, to: &output)
            output.append(UInt8(ascii: "="))
            appendEscaped(pair.value, to: &output)
        }
        return output
    }

    private static func appendEscaped(_ text: String, to output: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
    }
}
