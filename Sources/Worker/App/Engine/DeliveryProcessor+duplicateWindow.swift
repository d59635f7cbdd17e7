import Foundation
import Logging
import Shared

extension DeliveryProcessor {
    /// What an earlier attempt that may have sent the delivery (``DeliveryLead/maybeSentSince``)
    /// means for this one.
    enum EarlierSend: Sendable, Equatable {
        /// No earlier attempt may have sent it.
        case none
        /// The provider has the earlier attempt's message, under this id: nothing is sent again.
        case found(externalId: String)
        /// The provider was asked and has no such message: sending is not a duplicate.
        case ruledOut
        /// Sending again may duplicate the message: the provider cannot be asked, or the check could not tell.
        case unresolved(reason: String)
    }

    /// The attempt row's reason when the check found the earlier attempt's message.
    static let foundEarlierSendNote = "found the message sent by the attempt that got no answer; not sent again"

    /// Asks the provider, where its adapter can (``DestinationAdapter/duplicateCheck(since:sending:to:secret:)``),
    /// whether an earlier attempt that got no definite answer already sent the delivery.
    func earlierSend(
        of delivery: ClaimedDelivery,
        prepared: DestinationClient.PreparedDelivery,
        at destination: Destination,
        secret: String?
    ) async -> EarlierSend {
        guard let since = delivery.lead.maybeSentSince, !destination.dryRun else { return .none }
        guard let check = prepared.adapter.duplicateCheck(since: since, sending: prepared.request, to: destination, secret: secret) else {
            return .unresolved(reason: "\(destination.kind.displayName) cannot be asked whether the earlier attempt sent it")
        }
        let answer = await client.run(check, at: destination)
        var metadata: Logger.Metadata = [
            "delivery_id": "\(delivery.id)", "destination_id": .id(destination.id), "destination_kind": "\(destination.kind.rawValue)",
        ]
        switch answer {
        case .alreadySent(let externalId):
            logger.info("the earlier attempt had sent the message; not sending it again", metadata: metadata)
            return .found(externalId: externalId)
        case .notSent:
            logger.debug("the earlier attempt had not sent the message", metadata: metadata)
            return .ruledOut
        case .unknown(let reason):
            metadata["reason"] = "\(reason)"
            logger.warning("could not check whether the earlier attempt sent the message; sending again", metadata: metadata)
            return .unresolved(reason: "the check could not tell: \(reason)")
        }
    }

    /// Records on `result` what `earlier` and this attempt's `outcome` (started at `started`) mean
    /// for duplicates: the attempt's `possible_duplicate` flag (counted by destination `kind`), and
    /// the delivery's window.
    func settleDuplicateWindow(
        _ result: inout DeliveryResult,
        earlier: EarlierSend,
        outcome: DeliveryOutcome,
        startedAt started: Date,
        kind: DestinationKind
    ) {
        if outcome.mayHaveBeenSent {
            result.duplicateWindow = .opened(started)
        } else if earlier == .ruledOut {
            result.duplicateWindow = .closed
        }
        guard result.attempt != nil else { return }
        switch earlier {
        case .none:
            break
        case .found, .ruledOut:
            result.attempt?.possibleDuplicate = false
        case .unresolved(let reason):
            // A definite refusal sent nothing this time; a success or another unanswered call may have.
            let mayDuplicate = outcome.isSuccess || outcome.mayHaveBeenSent
            result.attempt?.possibleDuplicate = mayDuplicate
            guard mayDuplicate else { return }
            if outcome.isSuccess { result.attempt?.errorMessage = "sent again, possibly a duplicate: \(reason)" }
            LeadRelayMetrics.shared.possibleDuplicateSend(kind: kind.rawValue)
        }
    }
}
