import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /openapi.json`: the API's OpenAPI 3.1 document (``OpenAPIDocument``), compiled into the
/// binary, so no file has to ship with it.
struct OpenAPIController: Sendable {
    func addRoutes(to router: Router<AppRequestContext>) {
        let document = ByteBuffer(string: OpenAPIDocument.json)
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [
                .contentType: "application/json; charset=utf-8",
                .cacheControl: "public, max-age=300",
                .xContentTypeOptions: "nosniff",
            ], body: .init(byteBuffer: document))
        }
    }
}
