import Foundation

/// `application/x-www-form-urlencoded` bodies (the WHATWG URL standard's parser).
enum FormURLEncoded {
    /// The name/value pairs of `body` in order: `&`-separated, `+` is a space, `%XX` escapes decoded
    /// as UTF-8 (or Latin-1 when `latin1`); a malformed escape is kept literally, an empty name skipped.
    static func pairs(_ body: [UInt8], latin1: Bool = false) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for piece in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let name: ArraySlice<UInt8>
            let value: ArraySlice<UInt8>
            if let equals = piece.firstIndex(of: UInt8(ascii: "=")) {
                name = piece[..<equals]
                value = piece[piece.index(after: equals)...]
            } else {
                name = piece
                value = []
            }
            let decodedName = decode(name, latin1: latin1)
            guard !decodedName.isEmpty else { continue }
            result.append((decodedName, decode(value, latin1: latin1)))
        }
        return result
    }

    /// Percent- and plus-decodes one component.
    static func decode(_ bytes: ArraySlice<UInt8>, latin1: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
                continue
            } else {
                output.append(byte)
            }
            index += 1
        }
        if latin1 { return String(output.map { Character(Unicode.Scalar($0)) }) }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
