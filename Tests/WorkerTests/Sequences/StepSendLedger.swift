import Foundation
import Shared
import Synchronization
import TestSupport

/// Plays a messaging provider (WhatsApp Cloud API or Twilio SMS) on a ``CRMStandIn`` for the
/// steps of ``StepSequenceFixture`` and keeps the ledger of what reached the provider: one
/// ``Send`` per create call, keyed by recipient and step. Each send gets its own provider id.
/// While ``hangSends(_:)`` is on, create calls are recorded (the provider accepted them) but never
/// answered, as when a worker dies between the provider's acceptance and its commit. Twilio's
/// message list (the duplicate check) lists every message the ledger holds for the number.
final class StepSendLedger: Sendable {
    /// The provider played.
    enum Provider: String, Sendable, CustomStringConvertible {
        case whatsApp
        case twilioSMS

        var kind: DestinationKind {
            switch self {
            case .whatsApp: .whatsApp
            case .twilioSMS: .twilioSMS
            }
        }

        var description: String { rawValue }
    }

    /// One message the provider accepted.
    struct Send: Sendable {
        /// The recipient's digits (no `+`).
        var recipient: String
        /// The step's number, from 1.
        var step: Int
        var providerId: String
        var body: String
        var receivedAt: Date
        /// Whether the call was left unanswered (the sending worker was killed).
        var hung: Bool
    }

    /// A (recipient, step) pair: one enrollment's step, since every lead has its own number.
    struct StepKey: Hashable, Sendable, CustomStringConvertible {
        var recipient: String
        var step: Int
        var description: String { "+\(recipient) step \(step)" }
    }

    private struct State {
        var sends: [Send] = []
        var hanging = false
    }

    static let twilioAccount = "AC0123456789abcdef0123456789abcdef"
    static let twilioFrom = "+15017122661"

    let provider: Provider
    private let state = Mutex(State())

    /// Answers `standIn`'s requests as `provider` from now on.
    init(_ provider: Provider, answering standIn: CRMStandIn) {
        self.provider = provider
        standIn.respond { [self] request in answer(request) }
    }

    /// The destination config of step `step` (1-based): a template per step, or a body per step.
    func config(step: Int) -> [String: JSONValue] {
        switch provider {
        case .whatsApp:
            ["phone_number_id": "106540352242922", "template": .string("sequence_step_\(step)"), "language": "en"]
        case .twilioSMS:
            ["account_sid": .string(Self.twilioAccount), "from": .string(Self.twilioFrom), "body": .string("Sequence step \(step)")]
        }
    }

    /// Leaves create calls unanswered while `on`.
    func hangSends(_ on: Bool) { state.withLock { $0.hanging = on } }

    /// Every accepted message, oldest first.
    var sends: [Send] { state.withLock { $0.sends } }

    /// How many messages each (recipient, step) got.
    var sendsPerStep: [StepKey: Int] {
        var counts: [StepKey: Int] = [:]
        for send in sends { counts[StepKey(recipient: send.recipient, step: send.step), default: 0] += 1 }
        return counts
    }

    /// The (recipient, step) pairs that got more than one message, with the number of extra messages.
    var duplicates: [StepKey: Int] { sendsPerStep.filter { $0.value > 1 }.mapValues { $0 - 1 } }

    private func answer(_ request: RecordedRequest) -> StandInAnswer? {
        switch (provider, request.method) {
        case (.whatsApp, "POST"):
            guard let json = request.jsonObject, let to = json["to"]?.scalarText,
                let template = json["template"]?.objectMembers?["name"]?.scalarText,
                let step = Int(template.replacingOccurrences(of: "sequence_step_", with: ""))
            else { return .json(400, #"{"error":{"message":"not a sequence step","code":100}}"#) }
            let (id, hung) = record(recipient: to, step: step, body: template, at: request.receivedAt, prefix: "wamid.")
            return hung ? .hang : .whatsAppAccepted(id: id, waId: Self.digits(to))
        case (.twilioSMS, "POST"):
            let form = Self.formFields(request.bodyText)
            guard let to = form["To"], let body = form["Body"], let step = Int(body.replacingOccurrences(of: "Sequence step ", with: ""))
            else { return .json(400, #"{"code":21604,"message":"not a sequence step","status":400}"#) }
            let (sid, hung) = record(recipient: to, step: step, body: body, at: request.receivedAt, prefix: "SM")
            return hung ? .hang : .twilioCreated(sid: sid)
        case (.twilioSMS, "GET"):
            let query = Self.formFields(request.query ?? "")
            let to = Self.digits(query["To"] ?? "")
            let listed = sends.filter { $0.recipient == to }.reversed().map { send in
                StandInAnswer.TwilioListedMessage(sid: send.providerId, to: "+" + send.recipient, body: send.body, dateCreated: send.receivedAt)
            }
            return .twilioMessageList(Array(listed))
        default:
            return .json(404, "{}")
        }
    }

    /// Records a send; returns its provider id and whether it is left unanswered.
    private func record(recipient: String, step: Int, body: String, at date: Date, prefix: String) -> (String, Bool) {
        state.withLock { state in
            let number = state.sends.count + 1
            let id = prefix + String(format: "%032d", number)
            state.sends.append(
                Send(recipient: Self.digits(recipient), step: step, providerId: id, body: body, receivedAt: date, hung: state.hanging)
            )
            return (id, state.hanging)
        }
    }

    static func digits(_ text: String) -> String { text.filter { $0.isASCII && $0.isNumber } }

    /// `a=1&b=x+y` → `["a": "1", "b": "x y"]`.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
