import Foundation
import HTTPTypes
import MultipartKit
import NIOCore
import Shared

/// The name/value pairs of a submitted HTML form, from `application/x-www-form-urlencoded` or
/// `multipart/form-data` (file parts are ignored). Later duplicates of a name are kept in order.
struct FormBody: Sendable {
    /// Largest form body accepted.
    static let maximumBytes = 64 * 1024

    var pairs: [(name: String, value: String)]

    /// The first non-empty value of `name`.
    func value(_ name: String) -> String? {
        pairs.first { $0.name == name && !$0.value.isEmpty }?.value
    }

    /// Parses `body` according to `contentType`; 415 for anything but a form encoding, 400 for a broken body.
    init(body: ByteBuffer, contentType: String) throws {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/x-www-form-urlencoded", "text/plain":
            pairs = Self.urlEncoded(String(buffer: body))
        case "multipart/form-data":
            guard let boundary = MultipartHeaders.boundary(of: contentType) else {
                throw APIError(.badRequest, code: "invalid_multipart", message: "multipart/form-data needs a boundary parameter")
            }
            pairs = try Self.multipart(body, boundary: boundary)
        default:
            throw APIError(
                .unsupportedMediaType,
                code: "unsupported_media_type",
                message: "submit the form as application/x-www-form-urlencoded or multipart/form-data (got \(mediaType.isEmpty ? "none" : mediaType))"
            )
        }
    }

    static func urlEncoded(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? decode(parts[1]) ?? "" : "")
        }
    }

    private static func decode(_ component: Substring) -> String? {
        component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static func multipart(_ body: ByteBuffer, boundary: String) throws -> [(name: String, value: String)] {
        final class Collector {
            var headers: [String: String] = [:]
            var data = ByteBuffer()
            var pairs: [(name: String, value: String)] = []
        }
        let collector = Collector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.headers[name.lowercased()] = value }
        parser.onBody = { buffer in collector.data.writeBuffer(&buffer) }
        parser.onPartComplete = {
            if let disposition = collector.headers["content-disposition"],
                MultipartHeaders.parameter("filename", in: disposition) == nil,
                let name = MultipartHeaders.parameter("name", in: disposition)
            {
                collector.pairs.append((name, String(buffer: collector.data)))
            }
            collector.headers = [:]
            collector.data.clear()
        }
        do {
            try parser.execute(body)
        } catch {
            throw APIError(.badRequest, code: "invalid_multipart", message: "the multipart body cannot be parsed: \(error)")
        }
        return collector.pairs
    }
}

extension FormBody {
    /// Every value of `name` (check boxes, multi-selects), in order.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }
}
