import Foundation
import HTTPTypes
import MultipartKit
import NIOCore
import Shared

/// The bytes of one file field (`file`) of a `multipart/form-data` upload, streamed as the
/// request body arrives, so an uploaded CSV is never buffered whole.
struct MultipartFileBody<Base: AsyncSequence>: AsyncSequence where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let boundary: String
    let fieldName: String

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), boundary: boundary, fieldName: fieldName)
    }

    /// Feeds the multipart parser chunk by chunk and hands out only the file part's body bytes.
    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let parser: MultipartParser
        let state: ParseState
        var finished = false

        /// What the parser callbacks have seen; a class because the callbacks are closures.
        final class ParseState {
            let fieldName: String
            var partHeaders: [String: String] = [:]
            var inFilePart = false
            var sawFilePart = false
            var fileDone = false
            var filename: String?
            var output: [ByteBuffer] = []

            init(fieldName: String) {
                self.fieldName = fieldName
            }
        }

        init(base: Base.AsyncIterator, boundary: String, fieldName: String) {
            self.base = base
            self.parser = MultipartParser(boundary: boundary)
            let state = ParseState(fieldName: fieldName)
            self.state = state
            parser.onHeader = { name, value in
                state.partHeaders[name.lowercased()] = value
            }
            parser.onBody = { buffer in
                if !state.inFilePart, !state.fileDone, let disposition = state.partHeaders["content-disposition"],
                    MultipartHeaders.parameter("name", in: disposition) == state.fieldName
                {
                    state.inFilePart = true
                    state.sawFilePart = true
                    state.filename = MultipartHeaders.parameter("filename", in: disposition)
                }
                if state.inFilePart { state.output.append(buffer) }
            }
            parser.onPartComplete = {
                if state.inFilePart {
                    state.inFilePart = false
                    state.fileDone = true
                }
                state.partHeaders = [:]
            }
        }

        mutating func next() async throws -> ByteBuffer? {
            while true {
                if !state.output.isEmpty { return state.output.removeFirst() }
                if finished { return nil }
                if state.fileDone {
                    // Read (and discard) the closing boundary and any later fields, so the
                    // connection is left at the end of the request.
                    while try await base.next() != nil {}
                    finished = true
                    return nil
                }
                guard let chunk = try await base.next() else {
                    finished = true
                    guard state.sawFilePart else {
                        throw APIError(.badRequest, code: "missing_file", message: "the multipart upload has no field named '\(state.fieldName)'")
                    }
                    return nil
                }
                do {
                    try parser.execute(chunk)
                } catch {
                    throw APIError(.badRequest, code: "invalid_multipart", message: "the multipart body cannot be parsed: \(error)")
                }
            }
        }
    }
}
