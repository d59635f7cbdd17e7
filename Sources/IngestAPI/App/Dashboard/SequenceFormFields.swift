import Foundation
import Shared

/// The structured sequence editor's fields as text, the way the form posts them or a definition
/// fills them: nothing here is checked. ``definitionJSON(destinations:)`` turns them into a
/// definition document for ``SequenceDefinition``'s parser, which holds every rule.
///
/// Destinations are held by id (lowercased) when the tenant has them, else as written.
struct SequenceFormFields: Sendable, Hashable {
    /// A send window: the sequence's or a step's own.
    struct Window: Sendable, Hashable {
        /// `HH:MM`; empty with an empty ``end`` (and every day, no blackout dates): no window.
        var start = ""
        var end = ""
        /// Short day names (`sun` … `sat`), in the order posted.
        var days = Weekday.allCases.map(\.shortName)
        /// `YYYY-MM-DD`, comma- or space-separated.
        var blackoutDates = ""

        /// Whether anything differs from "no window" (always open).
        var isSet: Bool {
            !start.isEmpty || !end.isEmpty || !blackoutDates.isEmpty || Set(days) != Set(Weekday.allCases.map(\.shortName))
        }
    }

    /// One step row.
    struct Step: Sendable, Hashable {
        /// A destination id, or a name as written.
        var destination = ""
        /// `after` (a duration) or `at` (`next 10:00`).
        var delayKind = "after"
        /// Empty: at once.
        var delay = ""
        /// `replied`, `stage_changed`, in order.
        var unless: [String] = []
        /// The only_if CRM status label, byte for byte (never trimmed).
        var crmStatus = ""
        /// The destination that reads the status (id or name); empty with an empty ``crmStatus``: no check.
        var via = ""
        /// The step's own window; unset: the sequence's.
        var window = Window()

        /// A row the operator left empty (the form's spare row): ignored.
        var isBlank: Bool {
            destination.isEmpty && delay.isEmpty && unless.isEmpty && crmStatus.isEmpty && via.isEmpty && window.start.isEmpty
                && window.end.isEmpty && window.blackoutDates.isEmpty
        }
    }

    /// IANA zone; empty: the tenant's.
    var timeZone = ""
    var window = Window()
    /// The steps, blank rows left out.
    var steps: [Step] = []
    /// `reply`, `opt_out`, `stage_changed`.
    var exitOn = SequenceExitEvent.allCases.map(\.rawValue)
    /// A lead stage; empty: none.
    var goalStage = ""
    /// Destination ids (or names), in order.
    var onReply: [String] = []
    /// `never` or `after_exit`.
    var reentry = SequenceReentry.never.rawValue
    /// A duration; empty: the default (72h).
    var expireAfter = ""
    /// `true`, `false`, or empty for the tenant's default.
    var salesRules = ""

    /// The name of a step row's input: `step-<row>-<field>`.
    static func stepInput(_ row: Int, _ field: String) -> String { "step-\(row)-\(field)" }

    /// The fields as posted: `time_zone`, `window_start`, …, and one `step-<n>-…` group per step row
    /// (rows in the order of `n`, blank ones dropped).
    init(form: FormBody) {
        func trimmed(_ name: String) -> String { form.text(name).trimmingCharacters(in: .whitespacesAndNewlines) }
        func postedWindow(_ prefix: String) -> Window {
            Window(
                start: trimmed(prefix + "window_start"),
                end: trimmed(prefix + "window_end"),
                days: form.values(prefix + "window_days"),
                blackoutDates: trimmed(prefix + "window_blackout_dates")
            )
        }
        timeZone = trimmed("time_zone")
        window = postedWindow("")
        exitOn = form.values("exit_on")
        goalStage = trimmed("goal_stage")
        onReply = form.values("on_reply").filter { !$0.isEmpty }
        reentry = trimmed("reentry")
        expireAfter = trimmed("expire_after")
        salesRules = trimmed("sales_rules")
        steps = Self.stepRows(in: form).map { row in
            let prefix = Self.stepInput(row, "")
            return Step(
                destination: trimmed(prefix + "destination"),
                delayKind: trimmed(prefix + "delay_kind") == "at" ? "at" : "after",
                delay: trimmed(prefix + "delay"),
                unless: form.values(prefix + "unless").filter { !$0.isEmpty },
                crmStatus: form.text(prefix + "crm_status"),
                via: trimmed(prefix + "via"),
                window: postedWindow(prefix)
            )
        }
        .filter { !$0.isBlank }
    }

    /// Fields with their defaults (no steps).
    init() {}

    /// The row numbers of the posted `step-<n>-…` inputs, ascending.
    static func stepRows(in form: FormBody) -> [Int] {
        var rows = Set<Int>()
        for pair in form.pairs where pair.name.hasPrefix("step-") {
            let rest = pair.name.dropFirst("step-".count)
            if let row = Int(rest.prefix { $0 != "-" }), row >= 0 { rows.insert(row) }
        }
        return rows.sorted()
    }
}
