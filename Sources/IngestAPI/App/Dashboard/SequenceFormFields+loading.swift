import Foundation
import Shared

extension SequenceFormFields {
    /// The fields showing definition document `json` (as stored, or as an operator wrote it):
    /// members of an unexpected shape are left at their defaults (the JSON editor still holds
    /// them), destinations become the tenant's ids where they name one of `destinations`.
    init(definition json: JSONValue, destinations: [Destination]) {
        self.init()
        guard case .object(let root) = json else { return }
        timeZone = Self.text(root["time_zone"]) ?? ""
        if let window = root["window"] { self.window = Window(json: window) }
        if case .array(let items)? = root["steps"] {
            steps = items.map { Step(json: $0, destinations: destinations) }
        }
        if case .array? = root["exit_on"] { exitOn = Self.texts(root["exit_on"]) }
        goalStage = Self.text(root["goal_stage"]) ?? ""
        if case .array(let items)? = root["on_reply"] {
            onReply = items.map { Self.destination($0, destinations: destinations, nameKey: "destination", idKey: "destination_id") }
        }
        reentry = Self.text(root["reentry"]) ?? SequenceReentry.never.rawValue
        expireAfter = Self.text(root["expire_after"]) ?? ""
        if case .bool(let on)? = root["sales_rules"] { salesRules = on ? "true" : "false" }
    }

    /// `value` when it is a string.
    static func text(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    /// The strings of array `value`.
    static func texts(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { text($0) }
    }

    /// The destination `value` names (a name, or an object with `nameKey` and/or `idKey`): the id
    /// of the tenant's destination it names, else the id or name as written.
    static func destination(_ value: JSONValue, destinations: [Destination], nameKey: String, idKey: String) -> String {
        var name: String?
        var id: String?
        switch value {
        case .string(let text): name = text
        case .object(let members):
            name = text(members[nameKey])
            id = text(members[idKey])
        default: break
        }
        if let id, let found = destinations.first(where: { $0.id.uuidString.lowercased() == id.lowercased() }) {
            return found.id.uuidString.lowercased()
        }
        if let name, let found = destinations.first(where: { $0.name == name || $0.id.uuidString.lowercased() == name.lowercased() }) {
            return found.id.uuidString.lowercased()
        }
        return id ?? name ?? ""
    }
}

extension SequenceFormFields.Window {
    /// The fields of window object `json`.
    init(json: JSONValue) {
        self.init()
        guard case .object(let members) = json else { return }
        start = SequenceFormFields.text(members["start"]) ?? ""
        end = SequenceFormFields.text(members["end"]) ?? ""
        if case .array? = members["days"] {
            // As the parser reads them (`Sunday` is `sun`), in the week's order.
            let named = Set(SequenceFormFields.texts(members["days"]).compactMap(Weekday.init(name:)))
            days = named.sorted().map(\.shortName)
        }
        blackoutDates = SequenceFormFields.texts(members["blackout_dates"]).joined(separator: ", ")
    }
}

extension SequenceFormFields.Step {
    /// The fields of step `json` (an object, or a destination's name).
    init(json: JSONValue, destinations: [Destination]) {
        self.init()
        destination = SequenceFormFields.destination(json, destinations: destinations, nameKey: "destination", idKey: "destination_id")
        guard case .object(let members) = json else { return }
        if let at = SequenceFormFields.text(members["at"]) {
            delayKind = "at"
            delay = at
        } else {
            delay = SequenceFormFields.text(members["after"]) ?? ""
        }
        unless = SequenceFormFields.texts(members["unless"])
        if case .object(let onlyIf)? = members["only_if"] {
            crmStatus = SequenceFormFields.text(onlyIf["crm_status"]) ?? ""
            via = SequenceFormFields.destination(members["only_if"] ?? .null, destinations: destinations, nameKey: "via", idKey: "via_id")
        }
        if let window = members["window"] { self.window = SequenceFormFields.Window(json: window) }
    }
}
