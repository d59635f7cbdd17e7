import HummingbirdBcrypt
import NIOPosix

/// bcrypt password hashing, run on a NIO thread pool: one hash costs ~0.2 s of CPU and must
/// not block the cooperative pool. Sign-in checks also take a slot of ``checks``.
public struct PasswordHasher: Sendable {
    /// bcrypt cost factor (2^cost rounds).
    public var cost: UInt8
    let threadPool: NIOThreadPool
    /// The cap on concurrent sign-in checks, shared by every copy of this hasher.
    public let checks: PasswordCheckLimiter

    /// A hasher with `cost` (12 in production; tests may use the minimum, 4).
    public init(cost: UInt8 = 12, threadPool: NIOThreadPool = .singleton, checks: PasswordCheckLimiter = PasswordCheckLimiter()) {
        self.cost = cost
        self.threadPool = threadPool
        self.checks = checks
    }

    /// Passwords shorter than this are refused.
    public static let minimumLength = 10
    /// bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut.
    public static let maximumBytes = 72

    /// Why `password` is not acceptable, or nil.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes { return "must be at most \(maximumBytes) bytes" }
        return nil
    }

    /// The bcrypt hash of `password`.
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await threadPool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash` (constant time inside bcrypt).
    public func verify(_ password: String, hash: String) async throws -> Bool {
        guard password.utf8.count <= Self.maximumBytes else { return false }
        return try await threadPool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// ``verify(_:hash:)`` for a sign-in by `caller`, in a slot of ``checks``; throws
    /// ``PasswordCheckLimiter/Refusal`` at once when no slot is free.
    public func verify(_ password: String, hash: String, for caller: PasswordCheckLimiter.Caller) async throws -> Bool {
        try await checks.withSlot(caller) { try await verify(password, hash: hash) }
    }

    /// A valid hash of a random password, compared against when an email is unknown so that
    /// a failed sign-in costs the same time whether or not the account exists.
    public static let decoyHash = "$2b$12$m2HmA66p82dVZtLZ0iwbcOa2A5f53DaKEeKlGZhwHaNDyLn1.l/iy"
}
