import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import Shared

extension Router<AppRequestContext> {
    /// Adds the sign-in page, the dashboard under `/dashboard` and its assets. `sessionStore` is a
    /// service the application must run.
    func addDashboard(
        configuration: AppConfiguration,
        stores: DataStores,
        enqueuer: DeliveryEnqueuer,
        imports: ImportsController,
        hasher: PasswordHasher,
        sessionStore: PostgresSessionStore,
        logger: Logger
    ) {
        let responder = DashboardResponder(templates: DashboardTemplates())
        let users = UserStore(client: stores.postgres, logger: logger)
        let stylesheet = ByteBuffer(string: DashboardTemplates.stylesheet)
        let script = ByteBuffer(string: DashboardTemplates.script)
        get("assets/dashboard.css") { _, _ in DashboardResponder.asset(stylesheet, type: "text/css; charset=utf-8") }
        get("assets/dashboard.js") { _, _ in DashboardResponder.asset(script, type: "text/javascript; charset=utf-8") }
        let sequenceFormScript = ByteBuffer(string: DashboardTemplates.sequenceFormScript)
        get("assets/dashboard.sequence-form.js") { _, _ in DashboardResponder.asset(sequenceFormScript, type: "text/javascript; charset=utf-8") }

        if configuration.isProduction, configuration.trustedProxies.isEmpty {
            logger.warning("TRUSTED_PROXIES is not set: forwarded headers are ignored; behind Railway's edge every client has its address")
        }
        let web = group()
            .add(middleware: RequestOriginMiddleware(trustedProxies: configuration.trustedProxies))
            .add(middleware: SecureCookieMiddleware(forced: configuration.sessionCookieSecure))
            .add(
                middleware: SessionMiddleware(
                    storage: sessionStore,
                    configuration: .init(
                        sessionCookieParameters: .init(
                            name: "lr_session",
                            path: "/",
                            secure: configuration.sessionCookieSecure == true,
                            sameSite: .lax
                        ),
                        keyPrefix: "",
                        defaultSessionExpiration: .seconds(12 * 3_600)
                    )
                )
            )
        LoginController(
            users: users,
            audit: AuditLog(client: stores.postgres, logger: logger),
            hasher: hasher,
            throttle: LoginThrottle(stores: stores, logger: logger),
            devices: KnownSignInDevices(stores: stores, logger: logger),
            responder: responder,
            logger: logger
        )
        .addRoutes(to: web)
        let dashboard = web.group("dashboard").add(middleware: DashboardAuthMiddleware(users: users))
        DashboardController(
            stores: stores,
            enqueuer: enqueuer,
            imports: imports,
            secretBox: configuration.secretBox,
            responder: responder,
            sessionStore: sessionStore,
            hasher: hasher,
            outboundChecker: OutboundTargetChecker(policy: configuration.outboundPolicy),
            logger: logger
        )
        .addRoutes(to: dashboard)
    }
}

extension DashboardResponder {
    /// A static asset response, cached briefly.
    static func asset(_ body: ByteBuffer, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=300", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: body)
        )
    }
}
