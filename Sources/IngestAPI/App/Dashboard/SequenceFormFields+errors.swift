import Foundation
import Shared

extension SequenceFormFields {
    /// The input a parser error belongs to, by the error's path: `steps[2].after` → `step-2-delay`,
    /// `window.start` → `window_start`, `on_reply[0].destination` → `on_reply`; nil for a path no
    /// field matches (the form shows it at the top). Step indexes are those of ``steps``, which the
    /// form renders as rows `0…`.
    static func input(forErrorField field: String) -> String? {
        if field.hasPrefix("steps[") {
            let rest = field.dropFirst("steps[".count)
            guard let close = rest.firstIndex(of: "]"), let row = Int(rest[..<close]) else { return "steps" }
            let member = rest[rest.index(after: close)...].drop { $0 == "." }
            guard let name = stepInput(forMember: member) else { return nil }
            return stepInput(row, name)
        }
        let head = field.prefix { $0 != "." && $0 != "[" }
        switch head {
        case "time_zone", "goal_stage", "reentry", "expire_after", "sales_rules", "exit_on", "on_reply", "steps": return String(head)
        case "window": return windowInput(forMember: field.dropFirst("window".count).drop { $0 == "." })
        default: return nil
        }
    }

    /// The input (without its `step-<row>-` prefix) of `member` of a step: `after`, `only_if.via`, `window.end`.
    private static func stepInput(forMember member: Substring) -> String? {
        let head = member.prefix { $0 != "." && $0 != "[" }
        switch head {
        case "", "after", "at": return "delay"
        case "destination", "destination_id": return "destination"
        case "unless": return "unless"
        case "only_if": return member.hasPrefix("only_if.crm_status") ? "crm_status" : "via"
        case "window": return windowInput(forMember: member.dropFirst("window".count).drop { $0 == "." })
        default: return nil
        }
    }

    /// The input of `member` of a window (`start`, `days[1]`), or of the window itself.
    private static func windowInput(forMember member: Substring) -> String {
        switch member.prefix(while: { $0 != "." && $0 != "[" }) {
        case "end": "window_end"
        case "days": "window_days"
        case "blackout_dates": "window_blackout_dates"
        default: "window_start"
        }
    }

    /// How a summary names input `name`: `step 3 window start`, `expire after`.
    static func label(ofInput name: String) -> String {
        let parts = name.split(separator: "-", maxSplits: 2)
        if parts.count == 3, parts[0] == "step", let row = Int(parts[1]) {
            return "step \(row + 1) " + parts[2].replacingOccurrences(of: "_", with: " ")
        }
        return name.replacingOccurrences(of: "_", with: " ")
    }
}
