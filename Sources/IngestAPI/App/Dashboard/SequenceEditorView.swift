import Foundation
import Shared

extension DashboardController {
    /// The structured part of the sequence form, as its template reads it: ``SequenceFormFields``
    /// with the tenant's destinations as choices, and each step's problems next to its inputs.
    struct SequenceEditorView {
        /// One step row (`step-<key>-…` inputs).
        struct Step {
            var key: Int
            var number: Int
            var destinations: [Option]
            var delayKinds: [Option]
            var delay: String
            var unless: [Option]
            var crmStatus: String
            var via: [Option]
            var windowStart: String
            var windowEnd: String
            var days: [Option]
            var blackoutDates: String
            /// Whether the own-window block starts open (a window is set, or one of its inputs is wrong).
            var windowOpen: Bool
            /// This row's problems, by input name without the `step-<key>-` prefix.
            var errors: FieldErrors
        }

        var timeZone: String
        /// Suggestions for the time zone input.
        var zones: [String]
        var windowStart: String
        var windowEnd: String
        var days: [Option]
        var blackoutDates: String
        /// The steps, then one blank row.
        var steps: [Step]
        var exitOn: [Option]
        var goalStages: [Option]
        var onReply: [Option]
        var reentry: [Option]
        var expireAfter: String
        var salesRules: [Option]
        /// Whether the form was posted as JSON (the JSON block starts open and chosen).
        var jsonMode: Bool

        /// Zones offered besides the tenant's.
        static let commonZones = [
            "Asia/Jerusalem", "UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "America/New_York",
            "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Dubai",
            "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
        ]

        /// The editor showing `fields` for a tenant with `destinations` and zone `tenantZone`.
        init(fields: SequenceFormFields, destinations: [Destination], tenantZone: String, errors: FieldErrors, jsonMode: Bool) {
            let byName = destinations.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
            timeZone = fields.timeZone
            var zones = [tenantZone]
            for zone in Self.commonZones + [fields.timeZone] where !zone.isEmpty && !zones.contains(zone) { zones.append(zone) }
            self.zones = zones
            windowStart = fields.window.start
            windowEnd = fields.window.end
            days = Self.days(fields.window.days)
            blackoutDates = fields.window.blackoutDates
            let rows = fields.steps + [SequenceFormFields.Step()]
            steps = rows.enumerated().map { row, step in
                Self.step(step, row: row, destinations: byName, errors: errors)
            }
            exitOn = SequenceExitEvent.allCases.map { event in
                Option(
                    value: event.rawValue,
                    label: event.rawValue.replacingOccurrences(of: "_", with: " "),
                    selected: fields.exitOn.contains(event.rawValue)
                )
            }
            goalStages = Self.choices(
                [("", "none")] + LeadStage.allCases.map { ($0.rawValue, $0.label) },
                selected: fields.goalStage
            )
            onReply = Self.ordered(
                byName.map { ($0.id.uuidString.lowercased(), $0.name) },
                chosen: fields.onReply,
                destinations: byName
            )
            reentry = Self.choices(
                [
                    (SequenceReentry.never.rawValue, "never: one enrollment per lead"),
                    (SequenceReentry.afterExit.rawValue, "after the previous one ended"),
                ],
                selected: fields.reentry
            )
            expireAfter = fields.expireAfter
            salesRules = Self.choices(
                [("", "the tenant's default (on for US tenants)"), ("true", "on"), ("false", "off")],
                selected: fields.salesRules
            )
            self.jsonMode = jsonMode
        }

        /// Row `row` showing `step`.
        private static func step(_ step: SequenceFormFields.Step, row: Int, destinations: [Destination], errors: FieldErrors) -> Step {
            let prefix = SequenceFormFields.stepInput(row, "")
            var rowErrors = FieldErrors()
            for problem in errors.messages where problem.field.hasPrefix(prefix) {
                rowErrors.add(String(problem.field.dropFirst(prefix.count)), problem.message)
            }
            let statusReaders = destinations.filter { $0.kind == .mondayStatus }
            return Step(
                key: row,
                number: row + 1,
                destinations: choices(
                    [("", "choose a destination…")] + destinations.map { ($0.id.uuidString.lowercased(), "\($0.name) (\($0.kind.rawValue))") },
                    selected: step.destination,
                    destinations: destinations
                ),
                delayKinds: choices([("after", "after"), ("at", "at")], selected: step.delayKind),
                delay: step.delay,
                unless: ordered(
                    SequenceCondition.allCases.map { ($0.rawValue, $0.rawValue.replacingOccurrences(of: "_", with: " ")) },
                    chosen: step.unless
                ),
                crmStatus: step.crmStatus,
                via: choices(
                    [("", "no check")] + statusReaders.map { ($0.id.uuidString.lowercased(), $0.name) },
                    selected: step.via,
                    destinations: destinations
                ),
                windowStart: step.window.start,
                windowEnd: step.window.end,
                days: days(step.window.days),
                blackoutDates: step.window.blackoutDates,
                windowOpen: step.window.isSet || rowErrors.messages.contains { $0.field.hasPrefix("window_") },
                errors: rowErrors
            )
        }

        /// The seven day check boxes, `chosen` ticked.
        private static func days(_ chosen: [String]) -> [Option] {
            Weekday.allCases.map { Option(value: $0.shortName, label: $0.description, selected: chosen.contains($0.shortName)) }
        }

        /// Options `(value, label)` with `selected` chosen; a value not among them (a destination of
        /// another kind or tenant, a stage misspelt in JSON) is added so saving keeps it.
        private static func choices(_ options: [(String, String)], selected: String, destinations: [Destination] = []) -> [Option] {
            var all = options.map { Option(value: $0.0, label: $0.1, selected: $0.0 == selected) }
            if !options.contains(where: { $0.0 == selected }) {
                all.append(Option(value: selected, label: label(ofUnlisted: selected, destinations: destinations), selected: true))
            }
            return all
        }

        /// Check boxes `(value, label)`: the `chosen` ones first in their order (a list's order is
        /// part of the definition), then the rest; chosen values not among them are added.
        private static func ordered(_ options: [(String, String)], chosen: [String], destinations: [Destination] = []) -> [Option] {
            var first: [Option] = []
            for value in chosen where !first.contains(where: { $0.value == value }) {
                let label = options.first { $0.0 == value }?.1 ?? Self.label(ofUnlisted: value, destinations: destinations)
                first.append(Option(value: value, label: label, selected: true))
            }
            return first + options.filter { option in !chosen.contains(option.0) }.map { Option(value: $0.0, label: $0.1, selected: false) }
        }

        /// How a value that is not among the choices is shown.
        private static func label(ofUnlisted value: String, destinations: [Destination]) -> String {
            if let destination = destinations.first(where: { $0.id.uuidString.lowercased() == value }) {
                return "\(destination.name) (\(destination.kind.rawValue))"
            }
            return "\(value) (unknown)"
        }
    }
}
