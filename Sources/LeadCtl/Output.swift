import Foundation
import Shared

/// Prints `value` as pretty, key-sorted JSON on standard output, UUIDs in lower case (see
/// ``JSONTreeEncoder``).
func printJSON(_ value: some Encodable) throws {
    print(try JSONTreeEncoder().prettyText(value))
}
