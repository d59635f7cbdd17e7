import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Shared

/// Hosted lead forms: `GET /f/{token}` renders a source's form, `POST /f/{token}` takes a
/// submission from that page or from any website's own `<form action=…>`, and
/// `GET /f/{token}/thanks` is the default thank-you page.
struct FormsController: Sendable {
    let stores: DataStores
    let ingest: LeadIngestService
    let templates: WebTemplates
    let logger: Logger

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("f/{token}") { request, context in
            let source = try await formSource(context)
            guard let source else { return html(.notFound, templates.render((), template: "not_found")) }
            let settings = FormSettings(source: source)
            return html(.ok, templates.render(FormPage(settings: settings, action: request.uri.path), template: "form"))
        }
        router.get("f/{token}/thanks") { _, context in
            guard let source = try await formSource(context) else {
                return html(.notFound, templates.render((), template: "not_found"))
            }
            let settings = FormSettings(source: source)
            return html(.ok, templates.render(["heading": "Thank you!", "message": settings.thankYouMessage], template: "thanks"))
        }
        router.post("f/{token}") { request, context in
            try await submit(request, context: context)
        }
    }

    /// The enabled form source named by the path's token, or nil.
    private func formSource(_ context: AppRequestContext) async throws -> Source? {
        try await publicFormSource(context)?.source
    }

    /// The enabled form source named by the path's token with its tenant's region, or nil.
    private func publicFormSource(_ context: AppRequestContext) async throws -> PublicSource? {
        let token = context.parameters.get("token") ?? ""
        guard (20...128).contains(token.count) else { return nil }
        let found = try await SourceStore(client: stores.postgres, logger: logger).findPublic(token: token)
        guard let found, found.source.enabled, found.source.kind == .form else { return nil }
        return found
    }

    private func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let wantsJSON = Self.wantsJSON(request)
        guard let found = try await publicFormSource(context) else {
            if wantsJSON { throw APIError(.notFound, code: "not_found", message: "no form at this address") }
            return html(.notFound, templates.render((), template: "not_found"))
        }
        let source = found.source
        let body = try await LeadsController.collect(request, limit: FormBody.maximumBytes)
        let form = try FormBody(body: ByteBuffer(bytes: body), contentType: request.headers[.contentType] ?? "")
        // No person types U+0000, and PostgreSQL cannot store it.
        if form.pairs.contains(where: { $0.name.utf8.contains(0) || $0.value.utf8.contains(0) }) {
            throw APIError(.badRequest, code: "invalid_form", message: "form fields must not contain a NUL character (U+0000)")
        }
        let settings = FormSettings(source: source)
        let isSpam = form.value(settings.honeypotName) != nil
        let submission = FormSubmission(pairs: form.pairs, settings: settings, fieldMap: source.fieldMap)

        let validation = submission.validate(region: found.tenantRegion)
        switch validation {
        case .invalid(let fieldErrors, let formError) where !isSpam:
            logger.debug("form submission invalid", metadata: ["source_id": .id(source.id), "fields": "\(fieldErrors.keys.sorted())"])
            if wantsJSON {
                let details = fieldErrors.sorted { $0.key < $1.key }.map { FieldIssue(field: $0.key, message: $0.value) }
                throw APIError(
                    .unprocessableContent,
                    code: "invalid_lead",
                    message: formError ?? "please correct the highlighted fields",
                    details: details
                )
            }
            let page = FormPage(
                settings: settings,
                action: request.uri.path,
                values: submission.displayValues,
                errors: fieldErrors,
                formError: formError ?? "Please correct the highlighted fields."
            )
            return html(.unprocessableContent, templates.render(page, template: "form"))
        case .invalid:
            // A bot that filled the honeypot with junk: answer like a success, keep nothing deliverable.
            logger.info("form spam dropped: honeypot filled and no usable contact", metadata: ["source_id": .id(source.id)])
            return success(settings: settings, request: request, leadId: nil, status: "accepted", wantsJSON: wantsJSON)
        case .valid(let lead):
            let origin = LeadBatchOrigin(tenantId: source.tenantId, sourceId: source.id, channel: .form, isSpam: isSpam)
            let response = try await ingest.ingest([.valid(lead)], origin: origin)
            if isSpam {
                logger.info("form submission recorded as spam (honeypot filled)", metadata: ["source_id": .id(source.id)])
            }
            let result = response.results.first
            return success(
                settings: settings,
                request: request,
                leadId: isSpam ? nil : result?.leadId,
                status: result?.status ?? "accepted",
                wantsJSON: wantsJSON
            )
        }
    }

    private func success(settings: FormSettings, request: Request, leadId: Int64?, status: String, wantsJSON: Bool) -> Response {
        if wantsJSON {
            var body: [String: String] = ["status": status]
            if let leadId { body["lead_id"] = String(leadId) }
            var response = LeadsController.json(.created, (try? JSONEncoder.api.encode(body)) ?? Data())
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
        let location = settings.thankYouURL ?? request.uri.path + "/thanks"
        return Response(status: .seeOther, headers: [.location: location, .accessControlAllowOrigin: "*"])
    }

    private func html(_ status: HTTPResponse.Status, _ page: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .xContentTypeOptions: "nosniff",
                .referrerPolicy: "no-referrer",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http:",
            ],
            body: .init(byteBuffer: ByteBuffer(string: page))
        )
    }

    static func wantsJSON(_ request: Request) -> Bool {
        let accept = request.headers[.accept]?.lowercased() ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = constant("X-Content-Type-Options")
    static let referrerPolicy = constant("Referrer-Policy")
}
