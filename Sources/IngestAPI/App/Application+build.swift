import Hummingbird
import Logging
import Shared

/// Builds the ingestion API: the router and the services it runs (PostgreSQL and Redis
/// clients, the delivery enqueuer, the session store, then the HTTP server). `IngestAPI serve` and the tests both call this.
public func buildApplication(configuration: AppConfiguration, logger: Logger) -> some ApplicationProtocol {
    let stores = DataStores(configuration: configuration, logger: logger)
    return buildApplication(configuration: configuration, stores: stores, logger: logger)
}

/// Builds the ingestion API on the given stores; the application runs their clients as services.
/// `passwordChecks` caps the sign-in password checks running at once (tests pass their own to hold one).
public func buildApplication(
    configuration: AppConfiguration,
    stores: DataStores,
    logger: Logger,
    passwordChecks: PasswordCheckLimiter = PasswordCheckLimiter()
) -> some ApplicationProtocol {
    let dependencies = RouteDependencies(configuration: configuration, stores: stores, logger: logger, passwordChecks: passwordChecks)
    let router = buildRouter(configuration: configuration, stores: stores, dependencies: dependencies, logger: logger)
    var app = Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [RequestBodyReadTimeoutHandler(timeout: .seconds(Int64(configuration.requestBodyTimeoutSeconds)))],
                idleTimeout: .seconds(Int64(configuration.httpIdleTimeoutSeconds))
            )
        ),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "LeadRelay"),
        services: stores.services + [dependencies.enqueuer, dependencies.intakeCommit, dependencies.sessionStore],
        logger: logger
    )
    app.beforeServerStarts {
        try await stores.migrateIfEnabled(configuration: configuration, logger: logger)
        try await InitialAdmin.ensure(configuration: configuration, stores: stores, hasher: dependencies.hasher, logger: logger)
    }
    return app
}

/// The ingestion API's routes and middleware. It starts nothing: the handlers need the stores'
/// clients and `dependencies`' services running (``buildApplication(configuration:stores:logger:passwordChecks:)``
/// runs them), except for routes that touch neither, such as `/openapi.json`.
public func buildRouter(
    configuration: AppConfiguration,
    stores: DataStores,
    dependencies: RouteDependencies,
    logger: Logger
) -> Router<AppRequestContext> {
    let enqueuer = dependencies.enqueuer
    let intake = dependencies.intake
    let ingest = LeadIngestService(stores: stores, intake: intake, enqueuer: enqueuer, logger: logger)

    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(RequestLogMiddleware())
    router.middlewares.add(ErrorMappingMiddleware())
    HealthController(stores: stores).addRoutes(to: router)
    MetricsController(stores: stores, token: configuration.metricsToken, logger: logger)
        .addRoutes(to: router, production: configuration.isProduction)
    let templates = WebTemplates()
    FormsController(stores: stores, ingest: ingest, templates: templates, logger: logger).addRoutes(to: router)
    UploadPageController(templates: templates).addRoutes(to: router)
    WebhooksController(
        stores: stores,
        intake: intake,
        enqueuer: enqueuer,
        secretBox: configuration.secretBox,
        sources: PublicSourceCache(),
        publicBaseURL: configuration.publicBaseURL,
        logger: logger
    )
    .addRoutes(to: router)
    let api = router.group("api").add(middleware: APIKeyMiddleware(stores: stores, logger: logger))
    LeadsController(stores: stores, ingest: ingest, logger: logger).addRoutes(to: api)
    let importer = CSVImportService(stores: stores, enqueuer: enqueuer, logger: logger)
    let imports = ImportsController(stores: stores, importer: importer, logger: logger)
    imports.addRoutes(to: api)
    SourcesController(stores: stores, logger: logger).addRoutes(to: api)
    OpenAPIController().addRoutes(to: router)
    router.addDashboard(
        configuration: configuration,
        stores: stores,
        enqueuer: enqueuer,
        imports: imports,
        hasher: dependencies.hasher,
        sessionStore: dependencies.sessionStore,
        logger: logger
    )
    return router
}
