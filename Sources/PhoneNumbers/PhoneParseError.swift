/// Why libphonenumber's `parse()` (or the possibility check after it) rejects an input.
enum PhoneParseError: Error, Sendable, Equatable {
    /// More than 250 Unicode scalars; libphonenumber refuses to look at such input.
    case inputTooLong
    /// An RFC 3966 `;phone-context=` parameter that is neither a global number nor a domain.
    case invalidPhoneContext
    /// Nothing that looks like a phone number; `hasDigits` tells whether the input had any digit.
    case notANumber(hasDigits: Bool)
    /// The default region is unknown and the number does not start with "+".
    case invalidDefaultRegion(String)
    /// An international prefix or "+" followed by two digits or fewer.
    case tooShortAfterInternationalPrefix
    /// The digits after "+" or an international prefix do not start with a calling code.
    case invalidCountryCode
    /// The national significant number has fewer than two digits.
    case tooShortNationalNumber
    /// The national significant number has more than seventeen digits.
    case tooLong
    /// Parsed, but the length is impossible for the numbering plan named by `plan`.
    case impossibleLength(PhoneLengthVerdict, plan: String)

    /// Short human-readable explanation used in `PhoneNormalization.invalid(reason:)`.
    var reason: String {
        switch self {
        case .inputTooLong: return "input too long"
        case .invalidPhoneContext: return "invalid phone-context"
        case .notANumber(let hasDigits): return hasDigits ? "not a phone number" : "no digits"
        case .invalidDefaultRegion(let region): return "unknown default region \"\(region)\""
        case .tooShortAfterInternationalPrefix: return "too short after international prefix"
        case .invalidCountryCode: return "invalid country calling code"
        case .tooShortNationalNumber: return "too short"
        case .tooLong: return "too long"
        case .impossibleLength(let verdict, let plan):
            switch verdict {
            case .tooShort: return "too short for \(plan)"
            case .tooLong: return "too long for \(plan)"
            case .invalidLength, .possible, .possibleLocalOnly: return "invalid length for \(plan)"
            }
        }
    }
}

/// libphonenumber's `ValidationResult` for a length check (`_test_number_length`).
enum PhoneLengthVerdict: Sendable, Equatable {
    /// A possible length for the region.
    case possible
    /// Possible only when dialled locally, without the area code.
    case possibleLocalOnly
    /// Shorter than every possible length.
    case tooShort
    /// Longer than every possible length.
    case tooLong
    /// Between the shortest and longest possible lengths, but not one of them.
    case invalidLength

    /// Tests `length` against the general-description lengths of `metadata`.
    init(length: Int, metadata: PhoneMetadata) {
        let bit: UInt32 = length >= 0 && length < 32 ? 1 << UInt32(length) : 0
        if metadata.localOnlyLengths & bit != 0 {
            self = .possibleLocalOnly
            return
        }
        let lengths = metadata.possibleLengths
        let shortest = lengths.trailingZeroBitCount
        let longest = 31 - lengths.leadingZeroBitCount
        if length == shortest || lengths & bit != 0 {
            self = .possible
        } else if length < shortest {
            self = .tooShort
        } else if length > longest {
            self = .tooLong
        } else {
            self = .invalidLength
        }
    }

    /// Whether libphonenumber's `is_possible_number` accepts this verdict.
    var isPossible: Bool {
        self == .possible || self == .possibleLocalOnly
    }
}
