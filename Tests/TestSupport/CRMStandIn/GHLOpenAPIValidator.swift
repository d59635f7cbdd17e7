import Foundation
import Shared

/// Checks requests against GoHighLevel's published contacts API v2 spec
/// (`ghl-contacts-v2.openapi.json` + `ghl-common-schemas.json` in `../shared/reference`):
/// the operation exists, required headers are present with allowed values (`Version`), a bearer
/// `Authorization` where the operation is secured, `Content-Type: application/json`, and the
/// JSON body matches the request schema with **no unknown properties**.
public struct GHLOpenAPIValidator: Sendable {
    /// The contacts spec.
    public let spec: JSONValue
    /// The schema validator over the spec and the common schemas.
    let schemas: JSONSchemaSubset

    /// The validator over the spec files in `directory`.
    public init(directory: URL = TestEnvironment.reference) throws {
        let decoder = JSONDecoder()
        spec = try decoder.decode(JSONValue.self, from: Data(contentsOf: directory.appendingPathComponent("ghl-contacts-v2.openapi.json")))
        let common = try decoder.decode(JSONValue.self, from: Data(contentsOf: directory.appendingPathComponent("ghl-common-schemas.json")))
        schemas = JSONSchemaSubset(documents: ["": spec, "../common/common-schemas.json": common], closedObjects: true)
    }

    /// Loaded once per process from ``TestEnvironment/reference``.
    public static func standard() throws -> GHLOpenAPIValidator { try cached.get() }

    private static let cached = Result { try GHLOpenAPIValidator() }

    /// What is wrong with a recorded request; empty when it conforms.
    public func validate(_ request: RecordedRequest) -> [String] {
        validate(method: request.method, path: request.path, headers: request.headers, body: request.body)
    }

    /// What is wrong with a request; empty when it conforms.
    public func validate(method: String, path: String, headers: [(name: String, value: String)], body: [UInt8]) -> [String] {
        guard let (operation, pathItem) = operation(method: method, path: path) else {
            return ["no operation \(method.uppercased()) \(path) in the GoHighLevel contacts spec"]
        }
        func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        var problems: [String] = []
        for parameter in parameters(of: operation) + parameters(of: pathItem) {
            guard case .object(let fields) = parameter, fields["in"] == .string("header"),
                case .string(let name)? = fields["name"]
            else { continue }
            guard let value = header(name) else {
                if fields["required"] == .bool(true) { problems.append("header \(name) is required") }
                continue
            }
            if let schema = fields["schema"] {
                problems += schemas.validate(.string(value), against: schema, at: "header \(name)")
            }
        }
        if case .array(let security)? = operationField(operation, "security"), !security.isEmpty {
            let authorization = header("Authorization") ?? ""
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count != 2 || parts[0].lowercased() != "bearer" || parts[1].trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append("header Authorization must be \"Bearer <token>\"")
            }
        }
        guard case .object(let requestBody)? = operationField(operation, "requestBody") else { return problems }
        let contentType = header("Content-Type")?.lowercased() ?? ""
        if !contentType.hasPrefix("application/json") {
            problems.append("header Content-Type must be application/json")
        }
        if body.isEmpty {
            if requestBody["required"] == .bool(true) { problems.append("a JSON body is required") }
            return problems
        }
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else {
            return problems + ["the body is not JSON"]
        }
        if case .object(let content)? = requestBody["content"], case .object(let media)? = content["application/json"],
            let schema = media["schema"]
        {
            problems += schemas.validate(json, against: schema)
        }
        return problems
    }

    /// The operation object for `method` at a concrete `path` (templates such as `{contactId}`
    /// match one segment; literal segments win over templates), with its path item.
    func operation(method: String, path: String) -> (JSONValue, JSONValue)? {
        guard case .object(let paths)? = operationField(spec, "paths") else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (templates: Int, operation: JSONValue, item: JSONValue)?
        for (template, item) in paths {
            let templateSegments = template.split(separator: "/", omittingEmptySubsequences: false)
            guard templateSegments.count == segments.count,
                let operation = operationField(item, method.lowercased())
            else { continue }
            var templates = 0
            var matched = true
            for (expected, actual) in zip(templateSegments, segments) {
                if expected.hasPrefix("{") && expected.hasSuffix("}") && !actual.isEmpty {
                    templates += 1
                } else if expected != actual {
                    matched = false
                    break
                }
            }
            if matched && (best == nil || templates < best?.templates ?? Int.max) { best = (templates, operation, item) }
        }
        return best.map { ($0.operation, $0.item) }
    }

    private func parameters(of object: JSONValue) -> [JSONValue] {
        guard case .array(let parameters)? = operationField(object, "parameters") else { return [] }
        return parameters.map { parameter in
            if case .object(let fields) = parameter, case .string(let reference)? = fields["$ref"],
                let (resolved, _) = schemas.resolve(reference, from: "")
            {
                return resolved
            }
            return parameter
        }
    }

    private func operationField(_ object: JSONValue, _ key: String) -> JSONValue? {
        guard case .object(let members) = object else { return nil }
        return members[key]
    }
}
