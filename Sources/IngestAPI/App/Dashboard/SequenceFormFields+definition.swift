import Foundation
import Shared

extension SequenceFormFields {
    /// The definition document the fields describe, for ``SequenceDefinition``'s parser: empty
    /// fields are left out (the parser's defaults apply), nothing is checked here. Destinations the
    /// tenant has are written by name and id; others as written, for the parser to refuse.
    func definitionJSON(destinations: [Destination]) -> JSONValue {
        var root: [String: JSONValue] = [
            "steps": .array(steps.map { $0.json(destinations: destinations) }),
            "exit_on": .array(exitOn.map(JSONValue.string)),
            "on_reply": .array(onReply.map { Self.reference($0, destinations: destinations, nameKey: "destination", idKey: "destination_id") }),
        ]
        if !timeZone.isEmpty { root["time_zone"] = .string(timeZone) }
        if let window = window.json { root["window"] = window }
        if !goalStage.isEmpty { root["goal_stage"] = .string(goalStage) }
        if !reentry.isEmpty { root["reentry"] = .string(reentry) }
        if !expireAfter.isEmpty { root["expire_after"] = .string(expireAfter) }
        switch salesRules {
        case "true": root["sales_rules"] = .bool(true)
        case "false": root["sales_rules"] = .bool(false)
        default: break
        }
        return .object(root)
    }

    /// `{nameKey: name, idKey: id}` for a destination of the tenant (`value` its id or name), else
    /// `{nameKey: value}`.
    static func reference(_ value: String, destinations: [Destination], nameKey: String, idKey: String) -> JSONValue {
        guard let destination = destinations.first(where: { $0.id.uuidString.lowercased() == value.lowercased() || $0.name == value }) else {
            return .object([nameKey: .string(value)])
        }
        return .object([nameKey: .string(destination.name), idKey: .string(destination.id.uuidString.lowercased())])
    }
}

extension SequenceFormFields.Window {
    /// The window object; nil when no window is set.
    var json: JSONValue? {
        guard isSet else { return nil }
        var object: [String: JSONValue] = ["days": .array(days.map(JSONValue.string))]
        if !start.isEmpty { object["start"] = .string(start) }
        if !end.isEmpty { object["end"] = .string(end) }
        let dates = blackoutDates.split { $0 == "," || $0.isWhitespace }.map { JSONValue.string(String($0)) }
        if !dates.isEmpty { object["blackout_dates"] = .array(dates) }
        return .object(object)
    }
}

extension SequenceFormFields.Step {
    /// The step object.
    func json(destinations: [Destination]) -> JSONValue {
        var object: [String: JSONValue] = [:]
        if case .object(let members) = SequenceFormFields.reference(
            destination,
            destinations: destinations,
            nameKey: "destination",
            idKey: "destination_id"
        ) {
            object = members
        }
        if !delay.isEmpty { object[delayKind == "at" ? "at" : "after"] = .string(delay) }
        if !unless.isEmpty { object["unless"] = .array(unless.map(JSONValue.string)) }
        if !crmStatus.isEmpty || !via.isEmpty {
            var onlyIf: [String: JSONValue] = ["crm_status": .string(crmStatus)]
            if case .object(let members) = SequenceFormFields.reference(via, destinations: destinations, nameKey: "via", idKey: "via_id") {
                onlyIf.merge(members) { _, new in new }
            }
            object["only_if"] = .object(onlyIf)
        }
        if let window = window.json { object["window"] = window }
        return .object(object)
    }
}
