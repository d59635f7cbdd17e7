import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /openapi.json`: the OpenAPI 3.1 description of LeadRelay's public HTTP API,
/// `Resources/openapi.json`, compiled into the binary (`.embedInCode`), so no file has to ship with it.
/// `scripts/contract-test` runs schemathesis against a live server with it, and `OpenAPIDocumentTests`
/// checks that it names every route the router has: change it together with the routes and the JSON
/// the controllers send.
struct OpenAPIController: Sendable {
    func addRoutes(to router: Router<AppRequestContext>) {
        let document = ByteBuffer(bytes: PackageResources.openapi_json)
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8",
                    .cacheControl: "public, max-age=300",
                    .xContentTypeOptions: "nosniff",
                ],
                body: .init(byteBuffer: document)
            )
        }
    }
}
