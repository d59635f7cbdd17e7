import MultipartKit
import NIOCore

/// The fields of a SendGrid Inbound Parse POST (`multipart/form-data`), each as the raw bytes
/// received: they are decoded later with the charset SendGrid names for them in `charsets`.
/// File parts (attachments) are counted, not kept.
public struct InboundMailForm: Sendable, Hashable {
    /// Each non-file field's bytes by name; a repeated name keeps its first value.
    public var fields: [String: [UInt8]]
    /// The `charset` parameter of each field's own `Content-Type`, when it has one.
    public var partCharsets: [String: String]
    /// How many file parts the form held.
    public var attachmentCount: Int

    /// Parses `body` as `multipart/form-data` per `contentType`.
    ///
    /// - Throws: a 400 ``WebhookRejection`` when the request is not multipart, has no boundary,
    ///   or its body cannot be parsed.
    public init(body: [UInt8], contentType: String?) throws(WebhookRejection) {
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        guard mediaType == "multipart/form-data" else {
            throw .rejected(
                400,
                "an email source takes SendGrid Inbound Parse's multipart/form-data (got \(mediaType.isEmpty ? "no content type" : mediaType))"
            )
        }
        guard let contentType, let boundary = MultipartHeaders.boundary(of: contentType) else {
            throw .rejected(400, "multipart/form-data needs a boundary parameter")
        }
        final class Collector {
            var headers: [String: String] = [:]
            var data: [UInt8] = []
            var form = (fields: [String: [UInt8]](), charsets: [String: String](), attachments: 0)
        }
        let collector = Collector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.headers[name.lowercased()] = value }
        parser.onBody = { buffer in collector.data.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            if let disposition = collector.headers["content-disposition"] {
                if MultipartHeaders.parameter("filename", in: disposition) != nil {
                    collector.form.attachments += 1
                } else if let name = MultipartHeaders.parameter("name", in: disposition), collector.form.fields[name] == nil {
                    collector.form.fields[name] = collector.data
                    if let type = collector.headers["content-type"], let charset = MultipartHeaders.parameter("charset", in: type) {
                        collector.form.charsets[name] = charset
                    }
                }
            }
            collector.headers = [:]
            collector.data = []
        }
        do {
            try parser.execute(body)
        } catch {
            throw .rejected(400, "the multipart body cannot be parsed: \(error)")
        }
        fields = collector.form.fields
        partCharsets = collector.form.charsets
        attachmentCount = collector.form.attachments
    }
}
