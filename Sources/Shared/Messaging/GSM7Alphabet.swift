/// The GSM 03.38 default alphabet: what a GSM-7 SMS can carry and how many septets each
/// character takes.
enum GSM7Alphabet {
    /// The characters of the basic table, one septet each (the escape code 0x1B is not a character).
    static let basicTable: Set<Unicode.Scalar> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
            .unicodeScalars
    )

    /// The characters of the extension table, sent as escape + code: two septets each.
    static let extensionTable: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// The septets `scalar` takes, or nil when GSM-7 cannot carry it.
    static func septets(_ scalar: Unicode.Scalar) -> Int? {
        if basicTable.contains(scalar) { return 1 }
        if extensionTable.contains(scalar) { return 2 }
        return nil
    }
}
