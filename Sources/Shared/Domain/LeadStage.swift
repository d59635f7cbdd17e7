/// Where a lead stands with the business (`leads.stage`). Messaging moves it forward on its own
/// (`new` → `contacted` when a provider accepts a message, → `engaged` when the lead replies);
/// operators and integrations set the later stages.
public enum LeadStage: String, Sendable, Hashable, CaseIterable, Codable {
    case new, contacted, engaged, qualified
    case appointmentSet = "appointment_set"
    case completed, lost

    /// `Appointment set`: for pages.
    public var label: String {
        switch self {
        case .appointmentSet: "Appointment set"
        default: rawValue.prefix(1).uppercased() + rawValue.dropFirst()
        }
    }

    /// The names, comma-separated, for help texts and errors.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
