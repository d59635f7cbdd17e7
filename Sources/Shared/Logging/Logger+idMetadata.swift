import Foundation
import Logging

extension Logger.MetadataValue {
    /// `uuid` in lower case (RFC 9562), as the HTTP API, the dashboard, `leadctl` and PostgreSQL
    /// print it (`"\(uuid)"` is upper case), so a log line can be matched to them.
    public static func id(_ uuid: UUID) -> Self {
        .string(uuid.uuidString.lowercased())
    }
}
