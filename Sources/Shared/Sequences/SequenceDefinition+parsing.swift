import Foundation

extension SequenceDefinition {
    /// The members a definition may have.
    static let rootKeys: Set<String> = [
        "time_zone", "window", "steps", "exit_on", "goal_stage", "on_reply", "reentry", "expire_after", "sales_rules",
    ]
    static let windowKeys: Set<String> = ["start", "end", "days", "blackout_dates"]
    static let stepKeys: Set<String> = ["destination", "destination_id", "after", "at", "unless", "only_if", "window"]
    static let onlyIfKeys: Set<String> = ["crm_status", "via", "via_id"]
    static let destinationKeys: Set<String> = ["destination", "destination_id"]

    /// Checks and resolves a definition written by a user (`destinations`: the tenant's, for
    /// names), or reads one as stored (`destinations` nil: ids are taken as written).
    ///
    /// - Parameters:
    ///   - tenantTimeZone: the zone when the definition names none.
    ///   - defaultSalesRules: whether Florida/Oklahoma rules apply when it does not say (on for US tenants).
    /// - Throws: ``SequenceDefinitionError`` naming the member and what is wrong.
    public init(
        json: JSONValue,
        tenantTimeZone: TimeZone,
        defaultSalesRules: Bool,
        destinations: [Destination]?
    )
        throws(SequenceDefinitionError)
    {
        let root = try SequenceJSONReader(json, path: "", allowed: Self.rootKeys)
        let resolver = SequenceDestinationResolver(destinations: destinations)
        if let name = try root.string("time_zone") {
            // IANA names only (Foundation also takes abbreviations such as EST, whose meaning is ambiguous);
            // UTC and GMT are what a UTC tenant's zone is called.
            guard let zone = TimeZone(identifier: name), TimeZone.knownTimeZoneIdentifiers.contains(name) || ["UTC", "GMT"].contains(name) else {
                throw SequenceDefinitionError(field: "time_zone", "\(name) is not an IANA time zone like Asia/Jerusalem or America/New_York")
            }
            timeZone = zone
        } else {
            timeZone = tenantTimeZone
        }
        let zone = timeZone
        if let value = root.value("window") {
            window = try Self.window(value, path: "window", zone: zone)
        } else {
            window = .always(in: zone)
        }

        let stepValues = try root.array("steps")
        guard (1...Self.maximumSteps).contains(stepValues.count) else {
            throw SequenceDefinitionError(field: "steps", "a sequence has 1 to \(Self.maximumSteps) steps (got \(stepValues.count))")
        }
        var steps: [SequenceStep] = []
        for (index, value) in stepValues.enumerated() {
            steps.append(try Self.step(value, path: "steps[\(index)]", zone: zone, resolver: resolver))
        }
        self.steps = steps

        exitOn =
            root.value("exit_on") == nil
            ? Set(SequenceExitEvent.allCases)
            : Set(try root.values("exit_on", expected: "one of reply, opt_out, stage_changed", SequenceExitEvent.init(rawValue:)))
        if let stage = try root.string("goal_stage") {
            guard let goal = LeadStage(rawValue: stage) else {
                throw SequenceDefinitionError(
                    field: "goal_stage",
                    "\(stage) is not a stage; stages: \(LeadStage.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            goalStage = goal
        } else {
            goalStage = nil
        }
        var onReply: [(id: UUID, name: String)] = []
        for (index, value) in try root.array("on_reply").enumerated() {
            onReply.append(try resolver.resolve(value, path: "on_reply[\(index)]"))
        }
        self.onReply = onReply
        let reentryName = try root.string("reentry") ?? SequenceReentry.never.rawValue
        guard let reentry = SequenceReentry(rawValue: reentryName) else {
            throw SequenceDefinitionError(field: "reentry", "\(reentryName) is not never or after_exit")
        }
        self.reentry = reentry
        switch try StepDelay(after: try root.string("expire_after") ?? "72h", field: "expire_after") {
        case .elapsed(let seconds) where seconds >= 3_600: expireAfterSeconds = seconds
        default: throw SequenceDefinitionError(field: "expire_after", "must be at least 1h")
        }
        salesRules = try root.boolean("sales_rules") ?? defaultSalesRules
    }

    /// A window object at `path`.
    static func window(_ value: JSONValue, path: String, zone: TimeZone) throws(SequenceDefinitionError) -> SendWindow {
        let reader = try SequenceJSONReader(value, path: path, allowed: windowKeys)
        func time(_ key: String) throws(SequenceDefinitionError) -> LocalTime {
            guard let text = try reader.string(key) else { throw SequenceDefinitionError(field: reader.field(key), "is required, like 08:00") }
            guard let time = LocalTime(text) else { throw SequenceDefinitionError(field: reader.field(key), "\(text) is not a time like 08:00") }
            return time
        }
        let days =
            reader.value("days") == nil
            ? Set(Weekday.allCases) : Set(try reader.values("days", expected: "a day like sun or mon", Weekday.init(name:)))
        let blackout = Set(try reader.values("blackout_dates", expected: "a date like 2025-04-13", LocalDate.init))
        // Read before the `do`: their errors already name the full path, which the catch below would prefix again.
        let start = try time("start")
        let end = try time("end")
        do {
            return try SendWindow(timeZone: zone, start: start, end: end, days: days, blackoutDates: blackout)
        } catch {
            throw SequenceDefinitionError(field: path + error.field.dropFirst("window".count), error.message)
        }
    }

    /// A step object at `path`.
    static func step(
        _ value: JSONValue,
        path: String,
        zone: TimeZone,
        resolver: SequenceDestinationResolver
    )
        throws(SequenceDefinitionError) -> SequenceStep
    {
        let reader = try SequenceJSONReader(value, path: path, allowed: stepKeys)
        let destination = try resolver.resolve(value, path: path)
        let delay: StepDelay
        switch (try reader.string("after"), try reader.string("at")) {
        case (let after?, nil): delay = try StepDelay(after: after, field: reader.field("after"))
        case (nil, let at?): delay = try StepDelay(at: at, field: reader.field("at"))
        case (nil, nil): delay = .immediately
        case (.some, .some): throw SequenceDefinitionError(field: path, "give after or at, not both")
        }
        let unless = try reader.values("unless", expected: "replied or stage_changed", SequenceCondition.init(rawValue:))
        var check: SequenceStep.CRMStatusCheck?
        if let onlyIf = reader.value("only_if") {
            let inner = try SequenceJSONReader(onlyIf, path: reader.field("only_if"), allowed: onlyIfKeys)
            guard let label = try inner.string("crm_status"), !label.isEmpty else {
                throw SequenceDefinitionError(field: inner.field("crm_status"), "is required: the status label the lead's item must have")
            }
            let via = try resolver.resolve(
                name: try inner.string("via"),
                id: try inner.string("via_id"),
                path: inner.path,
                nameKey: "via",
                idKey: "via_id"
            )
            // When saving (the tenant's destinations known), a status must be readable through `via`;
            // otherwise every enrollment would end at this step as crm_status_unreadable.
            if let kind = resolver.destinations?.first(where: { $0.id == via.id })?.kind, kind != .mondayStatus {
                throw SequenceDefinitionError(
                    field: inner.field("via"),
                    "\(via.name.debugDescription) is a \(kind.rawValue) destination; the status is read through a monday_status destination"
                )
            }
            check = SequenceStep.CRMStatusCheck(label: label, destinationId: via.id, destinationName: via.name)
        }
        let window = try reader.value("window").map { value throws(SequenceDefinitionError) in
            try Self.window(value, path: reader.field("window"), zone: zone)
        }
        return SequenceStep(
            destinationId: destination.id,
            destinationName: destination.name,
            delay: delay,
            unless: unless,
            onlyIfCRMStatus: check,
            window: window
        )
    }
}
