import CSVReader
import Foundation

/// One line of an export: a lead and one of its deliveries (the delivery fields are nil for a
/// lead without deliveries, such as spam, when every status is exported).
public struct LeadExportRow: Sendable, Hashable, Codable {
    public var leadId: Int64
    /// The tenant's slug.
    public var tenant: String
    public var source: String
    public var receivedAt: Date
    /// `accepted` or `spam`.
    public var leadStatus: String
    /// The lead's lifecycle stage (``LeadStage``).
    public var stage: String = LeadStage.new.rawValue
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var phone: String?
    public var phoneRaw: String?
    public var postalCode: String?
    /// The sender's id for the lead.
    public var externalId: String?
    public var deliveryId: Int64?
    public var destination: String?
    public var deliveryStatus: String?
    public var attempts: Int?
    /// The CRM's id for the lead (e.g. the GoHighLevel contact id).
    public var crmId: String?
    public var lastHTTPStatus: Int?
    public var lastError: String?
    /// When the delivery succeeded or died.
    public var finishedAt: Date?
    public var updatedAt: Date?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case leadId = "lead_id"
        case tenant, source
        case receivedAt = "received_at"
        case leadStatus = "lead_status"
        case stage
        case firstName = "first_name"
        case lastName = "last_name"
        case email, phone
        case phoneRaw = "phone_raw"
        case postalCode = "postal_code"
        case externalId = "external_id"
        case deliveryId = "delivery_id"
        case destination
        case deliveryStatus = "delivery_status"
        case attempts
        case crmId = "crm_id"
        case lastHTTPStatus = "last_http_status"
        case lastError = "last_error"
        case finishedAt = "finished_at"
        case updatedAt = "updated_at"
    }

    /// The CSV header: the NDJSON keys, in the same order as ``csvCells``.
    public static let csvHeader: [String] = CodingKeys.allCases.map(\.rawValue)

    /// The row's cells for CSV, in ``csvHeader`` order (nil as empty, dates in ISO 8601 UTC).
    public var csvCells: [String] {
        func date(_ value: Date?) -> String { value.map { $0.formatted(.iso8601) } ?? "" }
        func text(_ value: (some CustomStringConvertible)?) -> String { value.map(\.description) ?? "" }
        return [
            String(leadId), tenant, source, date(receivedAt), leadStatus, stage, text(firstName), text(lastName), text(email),
            text(phone), text(phoneRaw), text(postalCode), text(externalId), text(deliveryId), text(destination),
            text(deliveryStatus), text(attempts), text(crmId), text(lastHTTPStatus), text(lastError), date(finishedAt),
            date(updatedAt),
        ]
    }
}

/// How an export is written.
public enum LeadExportFormat: String, Sendable, CaseIterable {
    /// A header line and one formula-safe CSV line per row (CRLF).
    case csv
    /// One JSON object per line.
    case ndjson

    /// What goes before the first row.
    public var header: [UInt8] {
        switch self {
        case .csv: Array(CSVCellEscaping.line(LeadExportRow.csvHeader).utf8)
        case .ndjson: []
        }
    }

    /// `rows` encoded, each ending its line.
    public func encode(_ rows: [LeadExportRow]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        switch self {
        case .csv:
            for row in rows { bytes += CSVCellEscaping.line(row.csvCells).utf8 }
        case .ndjson:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            for row in rows {
                bytes += try encoder.encode(row)
                bytes.append(UInt8(ascii: "\n"))
            }
        }
        return bytes
    }
}
