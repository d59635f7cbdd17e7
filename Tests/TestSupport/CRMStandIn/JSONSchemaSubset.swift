import Foundation
import Shared

/// A small JSON Schema (OpenAPI 3.0 flavour) validator: `type` (with `nullable`), `enum`,
/// `properties`, `required`, `additionalProperties`, `items`, `allOf`, `anyOf`, `oneOf`,
/// `minLength`/`maxLength`, `minItems`/`maxItems` and `$ref` (local `#/…` pointers and
/// `other-file.json#/…` into registered documents). Descriptive keywords are ignored.
///
/// With `closedObjects`, an object schema that lists `properties` and says nothing about
/// `additionalProperties` rejects properties it does not list (the way GoHighLevel answers 422
/// "property X should not exist"); under `allOf` the branches' properties are pooled.
public struct JSONSchemaSubset: Sendable {
    /// Documents `$ref`s may point into, by the file part of the reference (`""`: the main one).
    public let documents: [String: JSONValue]
    /// Treat object schemas with `properties` as `additionalProperties: false`.
    public let closedObjects: Bool

    /// A validator over `documents` (key `""` is the main document).
    public init(documents: [String: JSONValue], closedObjects: Bool) {
        self.documents = documents
        self.closedObjects = closedObjects
    }

    /// Everything wrong with `value` against `schema` (found in document `document`), as
    /// messages naming the JSON path (`body.customFields[0].id`); empty when valid.
    public func validate(
        _ value: JSONValue,
        against schema: JSONValue,
        in document: String = "",
        at path: String = "body"
    )
        -> [String]
    {
        check(value, schema, document: document, path: path, closed: closedObjects)
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, document: String, path: String, closed: Bool) -> [String] {
        guard case .object(let keywords) = schema else { return [] }
        if case .string(let reference)? = keywords["$ref"] {
            guard let (target, targetDocument) = resolve(reference, from: document) else {
                return ["\(path): cannot resolve $ref \(reference)"]
            }
            return check(value, target, document: targetDocument, path: path, closed: closed)
        }
        if value == .null {
            if keywords["nullable"] == .bool(true) || keywords["type"] == nil { return [] }
            return ["\(path) must not be null"]
        }
        var problems: [String] = []
        if case .string(let type)? = keywords["type"], !matches(value, type: type) {
            return ["\(path) must be \(article(type)) \(type)"]
        }
        if case .array(let allowed)? = keywords["enum"], !allowed.contains(value) {
            problems.append("\(path) must be one of \(allowed.compactMap(\.scalarText).joined(separator: ", "))")
        }
        if case .array(let branches)? = keywords["allOf"] {
            for branch in branches { problems += check(value, branch, document: document, path: path, closed: false) }
        }
        for combinator in ["anyOf", "oneOf"] {
            guard case .array(let branches)? = keywords[combinator] else { continue }
            let results = branches.map { check(value, $0, document: document, path: path, closed: closed) }
            let passing = results.filter(\.isEmpty).count
            if passing == 0 {
                let closest = results.min { $0.count < $1.count } ?? []
                problems.append("\(path) matches none of the \(combinator) schemas (closest: \(closest.joined(separator: "; ")))")
            } else if combinator == "oneOf" && passing > 1 {
                problems.append("\(path) matches \(passing) of the oneOf schemas, not exactly one")
            }
        }
        switch value {
        case .object(let members): problems += checkObject(members, keywords, document: document, path: path, closed: closed)
        case .array(let items): problems += checkArray(items, keywords, document: document, path: path, closed: closed)
        case .string(let text):
            if case .number(let number)? = keywords["maxLength"], case let limit = number.doubleValue, Double(text.count) > limit {
                problems.append("\(path) must be at most \(Int(limit)) characters")
            }
            if case .number(let number)? = keywords["minLength"], case let limit = number.doubleValue, Double(text.count) < limit {
                problems.append("\(path) must be at least \(Int(limit)) characters")
            }
        default: break
        }
        return problems
    }

    private func checkObject(
        _ members: [String: JSONValue],
        _ keywords: [String: JSONValue],
        document: String,
        path: String,
        closed: Bool
    ) -> [String] {
        var problems: [String] = []
        let properties = declaredProperties(keywords, document: document)
        if case .array(let required)? = keywords["required"] {
            for case .string(let name) in required where members[name] == nil {
                problems.append("\(path).\(name) is required")
            }
        }
        for name in members.keys.sorted() {
            guard let member = members[name] else { continue }
            if let (schema, schemaDocument) = properties[name] {
                problems += check(member, schema, document: schemaDocument, path: "\(path).\(name)", closed: closedObjects)
                continue
            }
            switch keywords["additionalProperties"] {
            case .bool(false)?:
                problems.append("property \(name) should not exist (at \(path))")
            case .object?:
                if let schema = keywords["additionalProperties"] {
                    problems += check(member, schema, document: document, path: "\(path).\(name)", closed: closedObjects)
                }
            case .bool(true)?:
                break
            default:
                if closed && !properties.isEmpty { problems.append("property \(name) should not exist (at \(path))") }
            }
        }
        return problems
    }

    private func checkArray(
        _ items: [JSONValue],
        _ keywords: [String: JSONValue],
        document: String,
        path: String,
        closed: Bool
    ) -> [String] {
        var problems: [String] = []
        if case .number(let number)? = keywords["maxItems"], case let limit = number.doubleValue, Double(items.count) > limit {
            problems.append("\(path) must have at most \(Int(limit)) items")
        }
        if case .number(let number)? = keywords["minItems"], case let limit = number.doubleValue, Double(items.count) < limit {
            problems.append("\(path) must have at least \(Int(limit)) items")
        }
        if let itemSchema = keywords["items"] {
            for (index, item) in items.enumerated() {
                problems += check(item, itemSchema, document: document, path: "\(path)[\(index)]", closed: closedObjects)
            }
        }
        return problems
    }

    /// `properties` of the schema and of its `allOf` branches (through `$ref`s), with the
    /// document each property schema lives in.
    private func declaredProperties(_ keywords: [String: JSONValue], document: String) -> [String: (JSONValue, String)] {
        var result: [String: (JSONValue, String)] = [:]
        if case .object(let properties)? = keywords["properties"] {
            for (name, schema) in properties { result[name] = (schema, document) }
        }
        if case .array(let branches)? = keywords["allOf"] {
            for branch in branches {
                var branchKeywords: [String: JSONValue] = [:]
                var branchDocument = document
                if case .object(let members) = branch, case .string(let reference)? = members["$ref"],
                    let (target, targetDocument) = resolve(reference, from: document), case .object(let resolved) = target
                {
                    branchKeywords = resolved
                    branchDocument = targetDocument
                } else if case .object(let members) = branch {
                    branchKeywords = members
                }
                for (name, entry) in declaredProperties(branchKeywords, document: branchDocument) where result[name] == nil {
                    result[name] = entry
                }
            }
        }
        return result
    }

    /// The schema a `$ref` points at and the document it lives in.
    func resolve(_ reference: String, from document: String) -> (JSONValue, String)? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let file = parts.first.map(String.init) ?? ""
        let targetDocument = file.isEmpty ? document : file
        guard var current = documents[targetDocument] else { return nil }
        let pointer = parts.count > 1 ? String(parts[1]) : ""
        for token in pointer.split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let members):
                guard let next = members[key] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(key), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return (current, targetDocument)
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("number", .number): true
        case ("integer", .number(let number)): number.doubleValue.rounded() == number.doubleValue
        default: false
        }
    }

    private func article(_ type: String) -> String {
        ["a", "e", "i", "o", "u"].contains(type.prefix(1)) ? "an" : "a"
    }
}
