import Foundation
import Synchronization

/// A libphonenumber metadata pattern prepared for matching strings of ASCII digits.
///
/// Patterns that are nothing but digits (most international and national prefixes, such as
/// "011" or "0") are compared byte by byte; everything else goes through ICU's
/// `NSRegularExpression`, whose backtracking, leftmost-first semantics match the Python and
/// Java `re` engines libphonenumber is written against for this pattern subset.
enum DigitPattern: Sendable {
    /// A plain run of ASCII digits.
    case literal([UInt8])
    /// A real regular expression. `whole` is the pattern wrapped as `(?:…)\z`; both are used
    /// with `.anchored`, so `prefix` behaves like Python's `re.match` and `whole` like
    /// `re.fullmatch`.
    case regex(prefix: NSRegularExpression, whole: NSRegularExpression)
    /// A pattern that failed to compile. Never expected (the generator vets the metadata and
    /// debug builds trap); it matches nothing so release builds degrade instead of crashing.
    case never

    /// Compiles `pattern`, choosing the cheapest representation.
    init(_ pattern: String) {
        let bytes = Array(pattern.utf8)
        if !bytes.isEmpty, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            self = .literal(bytes)
            return
        }
        do {
            self = .regex(
                prefix: try NSRegularExpression(pattern: pattern),
                whole: try NSRegularExpression(pattern: "(?:" + pattern + ")\\z")
            )
        } catch {
            assertionFailure("libphonenumber metadata pattern failed to compile: \(pattern)")
            self = .never
        }
    }

    /// Whether the whole of `digits` matches (Python `fullmatch`).
    func matchesWhole(_ digits: [UInt8]) -> Bool {
        switch self {
        case .literal(let literal):
            return digits == literal
        case .regex(_, let whole):
            let text = String(decoding: digits, as: UTF8.self)
            let range = NSRange(location: 0, length: digits.count)
            return whole.firstMatch(in: text, options: [.anchored], range: range) != nil
        case .never:
            return false
        }
    }

    /// Matches at the start of `digits` (Python `re.match`): the end offset of the match and the
    /// byte ranges of the capturing groups (`nil` for a group that did not participate).
    func matchPrefix(_ digits: [UInt8]) -> DigitPrefixMatch? {
        switch self {
        case .literal(let literal):
            guard digits.starts(with: literal) else { return nil }
            return DigitPrefixMatch(end: literal.count, groups: [])
        case .regex(let prefix, _):
            let text = String(decoding: digits, as: UTF8.self)
            let range = NSRange(location: 0, length: digits.count)
            guard let match = prefix.firstMatch(in: text, options: [.anchored], range: range) else {
                return nil
            }
            // ASCII only, so UTF-16 offsets are byte offsets.
            var groups: [Range<Int>?] = []
            if match.numberOfRanges > 1 {
                for index in 1..<match.numberOfRanges {
                    let group = match.range(at: index)
                    groups.append(group.location == NSNotFound ? nil : group.location..<(group.location + group.length))
                }
            }
            return DigitPrefixMatch(end: match.range.location + match.range.length, groups: groups)
        case .never:
            return nil
        }
    }
}

/// A successful `DigitPattern.matchPrefix`: where the match ends and what each group captured.
struct DigitPrefixMatch: Sendable {
    /// Offset just past the matched prefix.
    let end: Int
    /// Byte range of each capturing group, in order; `nil` when the group did not participate.
    let groups: [Range<Int>?]
}

/// The compiled patterns of one metadata row.
struct RegionPatterns: Sendable {
    /// General-description national number pattern.
    let general: DigitPattern
    /// International (IDD) prefix, if the region has one.
    let internationalPrefix: DigitPattern?
    /// National prefix (and carrier code) pattern for parsing, if the region has one.
    let nationalPrefixForParsing: DigitPattern?

    /// Compiles the patterns of `metadata`.
    init(_ metadata: PhoneMetadata) {
        general = DigitPattern(metadata.generalPattern)
        internationalPrefix = metadata.internationalPrefix.map(DigitPattern.init)
        nationalPrefixForParsing = metadata.nationalPrefixForParsing.map(DigitPattern.init)
    }
}

/// Compiles each metadata row's patterns on first use and shares them between threads.
///
/// Compiling is the expensive part (tens of microseconds per pattern), so it happens once per
/// region per process; afterwards a lookup is an uncontended lock and an array read.
final class PhonePatternCache: Sendable {
    /// The process-wide cache used by `PhoneNumberNormalizer`.
    static let shared = PhonePatternCache()

    private let compiled: Mutex<[RegionPatterns?]>

    /// Creates an empty cache sized for the generated metadata table.
    init() {
        compiled = Mutex([RegionPatterns?](repeating: nil, count: PhoneMetadata.table.count))
    }

    /// The compiled patterns of `PhoneMetadata.table[row]`, compiling them on first request.
    func patterns(forRow row: Int) -> RegionPatterns {
        if let cached = compiled.withLock({ $0[row] }) {
            return cached
        }
        // Compile outside the lock; if two threads race, the first stored result wins.
        let fresh = RegionPatterns(PhoneMetadata.table[row])
        return compiled.withLock { rows in
            if let existing = rows[row] {
                return existing
            }
            rows[row] = fresh
            return fresh
        }
    }
}
