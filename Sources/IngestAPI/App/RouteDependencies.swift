import Logging
import Shared

/// The long-lived parts the routes share: ``buildRouter(configuration:stores:dependencies:logger:)``
/// hands them to the controllers, and ``buildApplication(configuration:stores:logger:passwordChecks:)``
/// runs the ones that are services (the enqueuer and the session store).
public struct RouteDependencies: Sendable {
    /// Hands new deliveries to the Redis queue; a service the application runs.
    public let enqueuer: DeliveryEnqueuer
    /// The group commit the lead API, forms and webhooks write through; a service the application
    /// runs (listed before the HTTP server, so it drains after the server stopped).
    public let intakeCommit: IntakeGroupCommit
    /// Where the lead API, forms and webhooks write: through ``intakeCommit``, or each request on
    /// its own when `INTAKE_COMMIT_LANES` is 0.
    public let intake: LeadIntake
    /// Hashes and checks dashboard passwords.
    public let hasher: PasswordHasher
    /// The dashboard's sessions in PostgreSQL; a service the application runs (it deletes expired rows).
    let sessionStore: PostgresSessionStore

    /// The parts for `stores`. `passwordChecks` caps the sign-in password checks running at once
    /// (tests pass their own to hold one).
    public init(
        configuration: AppConfiguration,
        stores: DataStores,
        logger: Logger,
        passwordChecks: PasswordCheckLimiter = PasswordCheckLimiter()
    ) {
        enqueuer = DeliveryEnqueuer(queue: DeliveryQueue(stores: stores, logger: logger), logger: logger)
        intakeCommit = IntakeGroupCommit(
            postgres: stores.postgres,
            lanes: max(1, configuration.intakeCommitLanes),
            linger: configuration.intakeCommitLinger,
            logger: logger
        )
        intake =
            configuration.intakeCommitLanes > 0
            ? LeadIntake(groupCommit: intakeCommit) : LeadIntake(postgres: stores.postgres, logger: logger)
        hasher = PasswordHasher(cost: UInt8(configuration.passwordHashCost), checks: passwordChecks)
        sessionStore = PostgresSessionStore(client: stores.postgres, logger: logger)
    }
}
