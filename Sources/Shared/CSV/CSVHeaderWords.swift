import Foundation

/// A CSV header cut into words for matching it to a lead field: lower case, accents and
/// full-width forms folded, split at punctuation, spaces, camelCase humps and where digits follow
/// letters (`"Téléphone (Work) #2"` → `telephone work 2`, `"contactPhoneNumber"` →
/// `contact phone number`, `"E-mail"` → `e mail`).
///
/// Works on Unicode scalars, never on `Character`s: a decomposed accent is its own scalar, kept
/// with its letter until folding removes it.
enum CSVHeaderWords {
    /// The words of `header`, in order; empty when it holds no letter or digit.
    static func words(_ header: some StringProtocol) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        func flush() {
            if !current.isEmpty { words.append(fold(String(current))) }
            current = String.UnicodeScalarView()
            previous = nil
        }
        for scalar in header.unicodeScalars {
            let properties = scalar.properties
            if isMark(properties) {
                if !current.isEmpty { current.append(scalar) }
                continue
            }
            let isDigit = properties.numericType == .decimal
            guard isDigit || properties.isAlphabetic else {
                flush()
                continue
            }
            if let previous {
                let previousIsDigit = previous.properties.numericType == .decimal
                let camelHump = previous.properties.isLowercase && properties.isUppercase
                if camelHump || (isDigit && !previousIsDigit) { flush() }
            }
            current.append(scalar)
            previous = scalar
        }
        flush()
        return words.filter { !$0.isEmpty }
    }

    /// `word` lower-cased with accents and width folded, keeping only letters and digits.
    private static func fold(_ word: String) -> String {
        let folded = word.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var result = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars where scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal {
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return String(result)
    }

    private static func isMark(_ properties: Unicode.Scalar.Properties) -> Bool {
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}
