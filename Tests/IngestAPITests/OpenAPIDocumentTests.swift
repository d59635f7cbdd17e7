import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestAPIApp
import Shared
import TestSupport
import Testing

/// The OpenAPI document served at `/openapi.json`: valid JSON, OpenAPI 3.1, internally consistent,
/// and naming exactly the routes the router has. (Whether the answers match it is checked by
/// `scripts/contract-test`, which runs schemathesis against a live server.)
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// The HTTP methods an OpenAPI path item can hold.
    static let operationKeys: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    @Test func theServedDocumentIsOpenAPI31JSON() async throws {
        try await Self.withApplication { client, _ in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = try Self.object(Data(response.body.readableBytesView))
            let version = try #require(document["openapi"] as? String)
            #expect(version.hasPrefix("3.1."), "openapi is \(version)")
            let info = try #require(document["info"] as? [String: Any])
            #expect(info["title"] is String)
            #expect(info["version"] is String)
            let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
            let bearer = try #require(schemes?["bearerAuth"] as? [String: Any])
            #expect(bearer["type"] as? String == "http")
            #expect(bearer["scheme"] as? String == "bearer")
        }
    }

    @Test func theDocumentListsEveryRouteTheRouterHasAndNoOther() async throws {
        try await Self.withApplication { client, routes in
            #expect(
                routes.contains("GET /openapi.json") && routes.contains("POST /api/leads"),
                "the router lacks routes it must have; found \(routes.sorted())"
            )
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            let documented = try Self.operations(Self.object(Data(response.body.readableBytesView)))
            // The dashboard is a signed-in HTML interface, not part of the public API contract.
            let dashboard = routes.filter { route in
                ["/dashboard", "/login", "/assets/dashboard."].contains { route.split(separator: " ").last?.hasPrefix($0) == true }
            }
            #expect(dashboard.contains("GET /dashboard") && dashboard.contains("POST /login"))
            let undocumented = routes.subtracting(documented).subtracting(dashboard).sorted()
            let unrouted = documented.subtracting(routes).sorted()
            #expect(undocumented.isEmpty, "routes missing from Resources/openapi.json: \(undocumented)")
            #expect(unrouted.isEmpty, "documented operations the router does not have: \(unrouted)")
        }
    }

    @Test func everyOperationIsDescribedConsistently() async throws {
        try await Self.withApplication { client, _ in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try Self.object(Data(response.body.readableBytesView))
            var unresolved: [String] = []
            Self.forEachReference(in: document) { reference in
                if Self.resolve(reference, in: document) == nil { unresolved.append(reference) }
            }
            #expect(unresolved.isEmpty, "unresolvable $refs: \(unresolved)")

            let paths = try #require(document["paths"] as? [String: Any])
            var operationIds: [String] = []
            for (path, item) in paths {
                for (method, value) in item as? [String: Any] ?? [:] where Self.operationKeys.contains(method) {
                    let operation = value as? [String: Any] ?? [:]
                    let name = "\(method.uppercased()) \(path)"
                    if let id = operation["operationId"] as? String { operationIds.append(id) }
                    let responses = operation["responses"] as? [String: Any] ?? [:]
                    #expect(!responses.isEmpty, "\(name) has no responses")
                    let security = operation["security"] as? [[String: Any]]
                    if path.hasPrefix("/api/") {
                        // Every /api route sits behind APIKeyMiddleware: bearer key, 401, 429 and 503.
                        #expect(security?.count == 1 && security?.first?["bearerAuth"] != nil, "\(name) must require bearerAuth")
                        for status in ["401", "429", "503"] {
                            #expect(responses[status] != nil, "\(name) does not document \(status)")
                        }
                    } else if path != "/metrics" {
                        #expect(security == nil, "\(name) is public and must not declare security")
                    }
                    for parameter in Self.pathParameters(of: path) {
                        let declared = (operation["parameters"] as? [Any] ?? []).compactMap { entry -> String? in
                            guard var parameter = entry as? [String: Any] else { return nil }
                            if let reference = parameter["$ref"] as? String {
                                parameter = Self.resolve(reference, in: document) as? [String: Any] ?? [:]
                            }
                            return parameter["in"] as? String == "path" ? parameter["name"] as? String : nil
                        }
                        #expect(declared.contains(parameter), "\(name) does not declare path parameter {\(parameter)}")
                    }
                }
            }
            #expect(Set(operationIds).count == operationIds.count, "operationIds are not unique")
        }
    }

    // MARK: - Helpers

    /// Runs `body` against the router as `buildApplication` assembles it, with the routes it has.
    /// The document needs neither PostgreSQL nor Redis, so no database is created and no service runs.
    static func withApplication(_ body: @escaping @Sendable (any TestClientProtocol, Set<String>) async throws -> Void) async throws {
        let configuration = try TestEnvironment.configuration(
            database: TestEnvironment.serverDatabase(),
            redisKeyPrefix: TestEnvironment.uniqueName("lr"),
            extra: ["MIGRATE_ON_BOOT": "false"]
        )
        let logger = TestEnvironment.logger
        let stores = DataStores(configuration: configuration, logger: logger)
        let dependencies = RouteDependencies(configuration: configuration, stores: stores, logger: logger)
        let router = buildRouter(configuration: configuration, stores: stores, dependencies: dependencies, logger: logger)
        let routes = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        try await Application(router: router, logger: logger).test(.router) { client in
            try await body(client, routes)
        }
    }

    /// The document's operations as `METHOD /path`.
    static func operations(_ document: [String: Any]) throws -> Set<String> {
        let paths = try #require(document["paths"] as? [String: Any])
        var operations: Set<String> = []
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where operationKeys.contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    /// The `{name}` segments of an OpenAPI path.
    static func pathParameters(of path: String) -> [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }

    /// Calls `visit` with every `$ref` value in `value`.
    static func forEachReference(in value: Any, _ visit: (String) -> Void) {
        if let object = value as? [String: Any] {
            if let reference = object["$ref"] as? String { visit(reference) }
            for child in object.values { forEachReference(in: child, visit) }
        } else if let array = value as? [Any] {
            for child in array { forEachReference(in: child, visit) }
        }
    }

    /// The value a local reference (`#/components/schemas/Error`) points at, or nil.
    static func resolve(_ reference: String, in document: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var current: Any = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let object = current as? [String: Any], let next = object[key] else { return nil }
            current = next
        }
        return current
    }

    /// `data` parsed as a JSON object.
    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "the document is not a JSON object")
    }
}
