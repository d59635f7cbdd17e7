import NIOCore
import Synchronization

/// Caps the password (bcrypt) checks running at once, in the whole process and per client address,
/// so that a spray of failed sign-ins cannot keep every core busy and starve real sign-ins: an
/// attempt beyond either cap is refused at once instead of queueing. Attempts from a browser that
/// signed in to the account before (a known device) have a lane of their own that no spray can fill.
public final class PasswordCheckLimiter: Sendable {
    /// Why a check was not started.
    public enum Refusal: Error, Sendable, Equatable {
        /// The process already runs ``PasswordCheckLimiter/maximumConcurrent`` checks.
        case serverBusy
        /// This client address already has ``PasswordCheckLimiter/maximumPerAddress`` checks running.
        case addressBusy
    }

    /// Who a check is for: a known device, or a client address (nil when unknown).
    public enum Caller: Sendable, Hashable {
        case address(String?)
        case knownDevice
    }

    struct State {
        var running = 0
        var runningKnownDevices = 0
        var runningByAddress: [String: Int] = [:]
    }

    /// Checks allowed at once in this process for callers that are not known devices.
    public let maximumConcurrent: Int
    /// Checks allowed at once for one client address.
    public let maximumPerAddress: Int
    /// Checks allowed at once for known devices, on top of ``maximumConcurrent``.
    public let maximumKnownDevices: Int
    private let state = Mutex(State())

    /// A limiter allowing `maximumConcurrent` checks (default: one per core, the threads bcrypt runs
    /// on), `maximumPerAddress` per client address and `maximumKnownDevices` for known devices.
    public init(maximumConcurrent: Int = max(2, System.coreCount), maximumPerAddress: Int = 1, maximumKnownDevices: Int = 2) {
        self.maximumConcurrent = max(1, maximumConcurrent)
        self.maximumPerAddress = max(1, maximumPerAddress)
        self.maximumKnownDevices = max(1, maximumKnownDevices)
    }

    /// Takes a slot for a check for `caller`, or throws why not. Every successful call must be
    /// matched by ``release(_:)``.
    public func acquire(_ caller: Caller) throws(Refusal) {
        try state.withLock { (state: inout State) throws(Refusal) in
            guard case .address(let address) = caller else {
                guard state.runningKnownDevices < maximumKnownDevices else { throw Refusal.serverBusy }
                state.runningKnownDevices += 1
                return
            }
            guard state.running < maximumConcurrent else { throw Refusal.serverBusy }
            if let address {
                let running = state.runningByAddress[address, default: 0]
                guard running < maximumPerAddress else { throw Refusal.addressBusy }
                state.runningByAddress[address] = running + 1
            }
            state.running += 1
        }
    }

    /// Gives back the slot taken by ``acquire(_:)``.
    public func release(_ caller: Caller) {
        state.withLock { state in
            guard case .address(let address) = caller else {
                state.runningKnownDevices -= 1
                return
            }
            state.running -= 1
            guard let address, let running = state.runningByAddress[address] else { return }
            state.runningByAddress[address] = running > 1 ? running - 1 : nil
        }
    }

    /// The checks running now, known devices included.
    public var running: Int { state.withLock { $0.running + $0.runningKnownDevices } }

    /// `body` run in a slot for `caller`; throws ``Refusal`` when there is none.
    public func withSlot<T: Sendable>(_ caller: Caller, _ body: () async throws -> T) async throws -> T {
        try acquire(caller)
        defer { release(caller) }
        return try await body()
    }
}
