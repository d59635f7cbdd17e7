import HTTPTypes
import Hummingbird
import NIOCore

/// The CSV upload page (`GET /imports/new`) and its script (`GET /assets/upload.js`).
struct UploadPageController: Sendable {
    let templates: WebTemplates

    func addRoutes(to router: Router<AppRequestContext>) {
        let page = ByteBuffer(string: templates.render((), template: "upload"))
        let script = ByteBuffer(string: WebTemplates.uploadScript)
        router.get("imports/new") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .cacheControl: "no-store",
                    .xContentTypeOptions: "nosniff",
                    .contentSecurityPolicy:
                        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'",
                ],
                body: .init(byteBuffer: page)
            )
        }
        router.get("assets/upload.js") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/javascript; charset=utf-8",
                    .cacheControl: "public, max-age=300",
                    .xContentTypeOptions: "nosniff",
                ],
                body: .init(byteBuffer: script)
            )
        }
    }
}
