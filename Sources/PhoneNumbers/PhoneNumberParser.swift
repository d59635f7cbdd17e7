/// A number as libphonenumber's `parse()` returns it (the fields E.164 formatting needs).
struct ParsedPhoneNumber: Sendable, Equatable {
    /// Country calling code.
    let countryCode: Int
    /// National significant number as ASCII digits, leading zeros included.
    let nationalNumber: [UInt8]
    /// Extension digits, if the input had an extension.
    let numberExtension: String?

    /// "+", calling code and national number: libphonenumber's `format(…, E164)`.
    var e164: String {
        "+" + String(countryCode) + String(decoding: nationalNumber, as: UTF8.self)
    }
}

/// A faithful port of libphonenumber's `parse()` (phonenumbers 9.x `phonenumberutil.py`),
/// limited to what E.164 output needs: no raw input, carrier codes or country-code source.
///
/// Function names follow the Python originals so the two can be read side by side.
enum PhoneNumberParser {
    /// libphonenumber's `_MAX_INPUT_STRING_LENGTH`, in Unicode scalars.
    static let maxInputLength = 250
    /// `_MIN_LENGTH_FOR_NSN`.
    static let minNationalNumberLength = 2
    /// `_MAX_LENGTH_FOR_NSN`.
    static let maxNationalNumberLength = 17
    /// `_MAX_LENGTH_COUNTRY_CODE`.
    static let maxCountryCodeLength = 3

    private static let zero = UInt8(ascii: "0")
    private static let phoneContextMarker = Array(";phone-context=".unicodeScalars)
    private static let telPrefix = Array("tel:".unicodeScalars)
    private static let subaddressMarker = Array(";isub=".unicodeScalars)

    /// `parse(raw, region)`. `regionCode` must already be upper-case.
    static func parse(_ raw: String, regionCode: String) throws(PhoneParseError) -> ParsedPhoneNumber {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(min(raw.utf8.count, maxInputLength + 1))
        for scalar in raw.unicodeScalars {
            scalars.append(scalar)
            if scalars.count > maxInputLength {
                throw .inputTooLong
            }
        }

        let candidate = try buildNationalNumberForParsing(scalars[...])
        guard PhoneText.isViable(candidate) else {
            throw .notANumber(hasDigits: scalars.contains(where: PhoneCharacters.isDigit))
        }
        let regionRow = PhoneMetadata.row(forRegion: regionCode)
        let startsWithPlus = candidate.first.map(PhoneCharacters.isPlus) ?? false
        if regionRow == nil && !startsWithPlus {
            throw .invalidDefaultRegion(regionCode)
        }

        let (national, numberExtension) = PhoneExtension.strip(candidate)

        var countryCode: Int
        var nationalNumber: [UInt8]
        do {
            (countryCode, nationalNumber) = try maybeExtractCountryCode(national, defaultRow: regionRow)
        } catch .invalidCountryCode where startsWithPlus {
            // "+0044…": drop the plus signs and read what follows as a national or IDD number.
            let withoutPlus = national.drop(while: PhoneCharacters.isPlus)
            (countryCode, nationalNumber) = try maybeExtractCountryCode(withoutPlus, defaultRow: regionRow)
            if countryCode == 0 {
                throw .invalidCountryCode
            }
        }

        let row: Int
        if countryCode != 0 {
            // libphonenumber switches to the calling code's main region (US for +1).
            guard let mainRow = PhoneMetadata.mainRow(forCountryCode: countryCode) else {
                throw .invalidCountryCode
            }
            row = mainRow
        } else {
            // No calling code in the number: it is a national number of the default region.
            guard let regionRow else { throw .invalidCountryCode }
            row = regionRow
            countryCode = PhoneMetadata.table[regionRow].countryCode
            nationalNumber = PhoneText.normalizeDigits(national)
        }

        if nationalNumber.count < minNationalNumberLength {
            throw .tooShortNationalNumber
        }
        // Strip the national prefix only if what remains still has a plausible length; the
        // original could be a valid short number.
        let potential = maybeStripNationalPrefixAndCarrierCode(nationalNumber, row: row)
        switch PhoneLengthVerdict(length: potential.count, metadata: PhoneMetadata.table[row]) {
        case .tooShort, .possibleLocalOnly, .invalidLength:
            break
        case .possible, .tooLong:
            nationalNumber = potential
        }
        if nationalNumber.count < minNationalNumberLength {
            throw .tooShortNationalNumber
        }
        if nationalNumber.count > maxNationalNumberLength {
            throw .tooLong
        }
        return ParsedPhoneNumber(countryCode: countryCode, nationalNumber: nationalNumber, numberExtension: numberExtension)
    }

    /// `_build_national_number_for_parsing`: handles RFC 3966 `;phone-context=` and `;isub=`,
    /// otherwise extracts the possible number from the text.
    static func buildNationalNumberForParsing(_ number: PhoneText.Scalars) throws(PhoneParseError) -> PhoneText.Scalars {
        var national: PhoneText.Scalars
        if let contextIndex = PhoneText.find(phoneContextMarker, in: number) {
            let contextStart = contextIndex + phoneContextMarker.count
            var context: PhoneText.Scalars = []
            if contextStart < number.endIndex {
                let contextEnd = number[contextStart...].firstIndex(of: ";") ?? number.endIndex
                context = number[contextStart..<contextEnd]
            }
            guard isPhoneContextValid(context) else {
                throw .invalidPhoneContext
            }
            // A global-number context ("+1") is the number's prefix; a domain is ignored.
            var built: [Unicode.Scalar] = context.first == "+" ? Array(context) : []
            let nationalStart = PhoneText.find(telPrefix, in: number).map { $0 + telPrefix.count } ?? number.startIndex
            if nationalStart < contextIndex {
                built += number[nationalStart..<contextIndex]
            }
            national = built[...]
        } else {
            national = PhoneText.extractPossibleNumber(number)
        }
        if let subaddress = PhoneText.find(subaddressMarker, in: national), subaddress > national.startIndex {
            national = national[..<subaddress]
        }
        return national
    }

    /// `_is_phone_context_valid`: a global number (`+` then digits and `-.()`) or a domain name.
    static func isPhoneContextValid(_ context: PhoneText.Scalars) -> Bool {
        guard let first = context.first else { return false }
        if first == "+" {
            let rest = context.dropFirst()
            if rest.allSatisfy({ PhoneCharacters.isDigit($0) || "-.()".unicodeScalars.contains($0) }),
                rest.contains(where: PhoneCharacters.isDigit)
            {
                return true
            }
        }
        return isDomainName(context)
    }

    /// RFC 3966 `domainname`: dot-separated labels of ASCII letters, digits and inner hyphens,
    /// the last one starting with a letter, with an optional trailing dot.
    private static func isDomainName(_ text: PhoneText.Scalars) -> Bool {
        var body = text
        if body.last == "." {
            body = body.dropLast()
        }
        let labels = body.split(separator: ".", omittingEmptySubsequences: false)
        guard let top = labels.last else { return false }
        func isAlphaNumeric(_ c: Unicode.Scalar) -> Bool {
            PhoneCharacters.isASCIILetter(c) || PhoneCharacters.isDigit(c)
        }
        func isLabel(_ label: PhoneText.Scalars) -> Bool {
            guard let first = label.first, let last = label.last else { return false }
            return isAlphaNumeric(first) && isAlphaNumeric(last)
                && label.allSatisfy { isAlphaNumeric($0) || $0 == "-" }
        }
        guard isLabel(top), let topFirst = top.first, PhoneCharacters.isASCIILetter(topFirst) else {
            return false
        }
        return labels.dropLast().allSatisfy(isLabel)
    }

    /// `_maybe_extract_country_code`: reads a calling code after "+" or the default region's
    /// IDD prefix, or recognises the default region's own calling code written without "+".
    /// Returns calling code 0 when the number carries none.
    static func maybeExtractCountryCode(_ number: PhoneText.Scalars, defaultRow: Int?) throws(PhoneParseError) -> (Int, [UInt8]) {
        if number.isEmpty {
            return (0, [])
        }
        // _maybe_strip_i18n_prefix_and_normalize
        var fullNumber: [UInt8]
        var hadInternationalPrefix = false
        let plusEnd = number.firstIndex(where: { !PhoneCharacters.isPlus($0) }) ?? number.endIndex
        if plusEnd > number.startIndex {
            fullNumber = PhoneText.normalizeDigits(number[plusEnd...])
            hadInternationalPrefix = true
        } else {
            fullNumber = PhoneText.normalizeDigits(number)
            if let defaultRow,
                let idd = PhonePatternCache.shared.patterns(forRow: defaultRow).internationalPrefix,
                let match = idd.matchPrefix(fullNumber)
            {
                // _parse_prefix_as_idd: calling codes never start with 0, so "00" + "0…" is no IDD.
                if match.end >= fullNumber.count || fullNumber[match.end] != zero {
                    fullNumber = Array(fullNumber[match.end...])
                    hadInternationalPrefix = true
                }
            }
        }

        if hadInternationalPrefix {
            if fullNumber.count <= minNationalNumberLength {
                throw .tooShortAfterInternationalPrefix
            }
            if let (code, rest) = extractCountryCode(fullNumber) {
                return (code, rest)
            }
            throw .invalidCountryCode
        }

        if let defaultRow {
            // "4930123716" in DE: strip "49" when that turns an impossible number into a
            // matching one, or when the number is too long with it.
            let metadata = PhoneMetadata.table[defaultRow]
            let codeDigits = Array(String(metadata.countryCode).utf8)
            if fullNumber.starts(with: codeDigits) {
                let general = PhonePatternCache.shared.patterns(forRow: defaultRow).general
                let potential = maybeStripNationalPrefixAndCarrierCode(Array(fullNumber[codeDigits.count...]), row: defaultRow)
                if (!general.matchesWhole(fullNumber) && general.matchesWhole(potential))
                    || PhoneLengthVerdict(length: fullNumber.count, metadata: metadata) == .tooLong
                {
                    return (metadata.countryCode, potential)
                }
            }
        }
        return (0, [])
    }

    /// `_extract_country_code`: the first one to three digits that form an assigned calling code.
    static func extractCountryCode(_ digits: [UInt8]) -> (Int, [UInt8])? {
        guard let first = digits.first, first != zero else { return nil }
        var code = 0
        for length in 1...min(digits.count, maxCountryCodeLength) {
            code = code * 10 + Int(digits[length - 1] - zero)
            if PhoneMetadata.mainRow(forCountryCode: code) != nil {
                return (code, Array(digits[length...]))
            }
        }
        return nil
    }

    /// `_maybe_strip_national_prefix_carrier_code`: removes the national prefix (and carrier
    /// code) or applies the region's transform rule, unless that would turn a number matching
    /// the general pattern into one that does not.
    static func maybeStripNationalPrefixAndCarrierCode(_ number: [UInt8], row: Int) -> [UInt8] {
        let patterns = PhonePatternCache.shared.patterns(forRow: row)
        guard !number.isEmpty, let prefixPattern = patterns.nationalPrefixForParsing,
            let match = prefixPattern.matchPrefix(number)
        else { return number }

        let viableOriginal = patterns.general.matchesWhole(number)
        let rest = number[match.end...]
        let result: [UInt8]
        if let rule = PhoneMetadata.table[row].nationalPrefixTransformRule, !rule.isEmpty,
            let lastGroup = match.groups.last, lastGroup != nil
        {
            result = applyTransformRule(rule, groups: match.groups, in: number) + rest
        } else {
            result = Array(rest)
        }
        if viableOriginal && !patterns.general.matchesWhole(result) {
            return number
        }
        return result
    }

    /// Expands a Python `re.sub` template such as "9\1" (unmatched groups expand to nothing).
    private static func applyTransformRule(_ rule: String, groups: [Range<Int>?], in number: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = rule.utf8.makeIterator()
        while let byte = bytes.next() {
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            guard let reference = bytes.next() else { break }
            let index = Int(reference) - Int(zero)
            if index >= 1, index <= groups.count, let range = groups[index - 1] {
                out += number[range]
            }
        }
        return out
    }
}
