import Foundation

extension SequenceDefinition {
    /// The definition as stored and shown: every setting spelled out, destinations by id and by
    /// their name when saved. Reading it back (with `destinations: nil`) gives the same definition.
    public var json: JSONValue {
        var root: [String: JSONValue] = [
            "time_zone": .string(timeZone.identifier),
            "steps": .array(steps.map(Self.json(of:))),
            "exit_on": .array(exitOn.map(\.rawValue).sorted().map(JSONValue.string)),
            "on_reply": .array(onReply.map { .object(["destination": .string($0.name), "destination_id": .string($0.id.uuidString.lowercased())]) }),
            "reentry": .string(reentry.rawValue),
            "expire_after": .string(StepDelay.durationText(expireAfterSeconds)),
            "sales_rules": .bool(salesRules),
        ]
        if !Self.isAlways(window) { root["window"] = Self.json(of: window) }
        if let goalStage { root["goal_stage"] = .string(goalStage.rawValue) }
        return .object(root)
    }

    static func json(of step: SequenceStep) -> JSONValue {
        var object: [String: JSONValue] = [
            "destination": .string(step.destinationName), "destination_id": .string(step.destinationId.uuidString.lowercased()),
        ]
        switch step.delay {
        case .immediately: break
        case .elapsed(let seconds): object["after"] = .string(StepDelay.durationText(seconds))
        case .nextLocalTime(let time): object["at"] = .string("next \(time)")
        }
        if !step.unless.isEmpty { object["unless"] = .array(step.unless.map { .string($0.rawValue) }) }
        if let check = step.onlyIfCRMStatus {
            object["only_if"] = .object([
                "crm_status": .string(check.label), "via": .string(check.destinationName),
                "via_id": .string(check.destinationId.uuidString.lowercased()),
            ])
        }
        if let window = step.window { object["window"] = json(of: window) }
        return .object(object)
    }

    static func json(of window: SendWindow) -> JSONValue {
        var object: [String: JSONValue] = [
            "start": .string(window.start.description), "end": .string(window.end.description),
            "days": .array(window.days.sorted().map { .string($0.shortName) }),
        ]
        if !window.blackoutDates.isEmpty { object["blackout_dates"] = .array(window.blackoutDates.sorted().map { .string($0.description) }) }
        return .object(object)
    }

    static func isAlways(_ window: SendWindow) -> Bool {
        window.start.minutes == 0 && window.end.minutes == 24 * 60 && window.days.count == 7 && window.blackoutDates.isEmpty
    }
}
