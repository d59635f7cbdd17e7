import Hummingbird
import Logging
import Shared

/// Builds the ingestion API: routes, middleware and the services it runs (PostgreSQL and Redis
/// clients, the delivery enqueuer, then the HTTP server). `IngestAPI serve` and the tests both call this.
public func buildApplication(configuration: AppConfiguration, logger: Logger) -> some ApplicationProtocol {
    let stores = DataStores(configuration: configuration, logger: logger)
    return buildApplication(configuration: configuration, stores: stores, logger: logger)
}

/// Builds the ingestion API on the given stores; the application runs their clients as services.
/// `passwordChecks` caps the sign-in password checks running at once (tests pass their own to hold one).
public func buildApplication(configuration: AppConfiguration, stores: DataStores, logger: Logger,
                             passwordChecks: PasswordCheckLimiter = PasswordCheckLimiter()) -> some ApplicationProtocol {
    let enqueuer = DeliveryEnqueuer(queue: DeliveryQueue(stores: stores, logger: logger), logger: logger)
    let ingest = LeadIngestService(stores: stores, enqueuer: enqueuer, logger: logger)

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
    WebhooksController(stores: stores, enqueuer: enqueuer, secretBox: configuration.secretBox, sources: PublicSourceCache(), logger: logger).addRoutes(to: router)
    let api = router.group("api").add(middleware: APIKeyMiddleware(stores: stores, logger: logger))
    LeadsController(stores: stores, ingest: ingest, logger: logger).addRoutes(to: api)
    let importer = CSVImportService(stores: stores, enqueuer: enqueuer, logger: logger)
    let imports = ImportsController(stores: stores, importer: importer, logger: logger)
    imports.addRoutes(to: api)
    SourcesController(stores: stores, logger: logger).addRoutes(to: api)
    OpenAPIController().addRoutes(to: router)
    let hasher = PasswordHasher(cost: UInt8(configuration.passwordHashCost), checks: passwordChecks)
    let sessionStore = router.addDashboard(configuration: configuration, stores: stores, enqueuer: enqueuer, imports: imports,
                                           hasher: hasher, logger: logger)

    var app = Application(
        router: router,
        server: .http1(configuration: .init(
            additionalChannelHandlers: [RequestBodyReadTimeoutHandler(timeout: .seconds(Int64(configuration.requestBodyTimeoutSeconds)))],
            idleTimeout: .seconds(Int64(configuration.httpIdleTimeoutSeconds)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "LeadRelay"),
        services: stores.services + [enqueuer, sessionStore],
        logger: logger
    )
    app.beforeServerStarts {
        try await stores.migrateIfEnabled(configuration: configuration, logger: logger)
        try await InitialAdmin.ensure(configuration: configuration, stores: stores, hasher: hasher, logger: logger)
    }
    return app
}
