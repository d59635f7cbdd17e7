import PhoneNumbers

/// libFuzzer entry point for ``PhoneNumberNormalizer``: the input (as UTF-8, repaired) is
/// normalized for a region picked by its first byte; an E.164 result must look like E.164 and
/// normalize to itself again, except for libphonenumber's national-prefix quirk (a shorter number
/// with the same calling code).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPhoneNormalizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let regions = ["US", "GB", "DE", "NZ", "IN", "BR", "AU", "JP", "IT", "FR", "ZZ", ""]
    let region = regions[Int(first) % regions.count]
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let normalizer = PhoneNumberNormalizer()
    guard case .e164(let number) = normalizer.normalize(text, defaultRegion: region) else { return 0 }
    let digits = number.utf8.dropFirst()
    guard number.hasPrefix("+"), (2...20).contains(digits.count), digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
        fatalError("\(text.debugDescription) [\(region)] → \(number) is not E.164")
    }
    switch normalizer.normalize(number, defaultRegion: "ZZ") {
    case .e164(let again) where again == number || (again.count < number.count && again.prefix(2) == number.prefix(2)):
        return 0
    case let other:
        fatalError("\(text.debugDescription) [\(region)] → \(number) → \(other)")
    }
}
