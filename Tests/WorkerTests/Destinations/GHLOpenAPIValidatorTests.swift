import Foundation
import Shared
import TestSupport
import Testing

extension Destinations {
    @Suite("GoHighLevel OpenAPI validator")
    struct GHLOpenAPIValidatorTests {
        static let headers: [(name: String, value: String)] = [
            ("Authorization", "Bearer token"), ("Version", "2021-07-28"), ("Content-Type", "application/json"),
        ]

        func problems(
            _ body: String,
            headers: [(name: String, value: String)] = headers,
            path: String = "/contacts/upsert"
        ) throws
            -> [String]
        {
            try GHLOpenAPIValidator.standard().validate(method: "POST", path: path, headers: headers, body: Array(body.utf8))
        }

        @Test(
            "accepts conforming upsert bodies",
            arguments: [
                #"{"locationId":"loc"}"#,
                #"{"locationId":"loc","firstName":"Jane","lastName":null,"email":"j@example.com","phone":"+12015550291","postalCode":"60601","source":"web","tags":["a","b"],"dnd":false}"#,
                #"{"locationId":"loc","customFields":[{"id":"f1","field_value":"x"},{"id":"f2","key":"k","field_value":["a","b"]}]}"#,
            ]
        )
        func acceptsValidBodies(body: String) throws {
            #expect(try problems(body) == [])
        }

        struct BadBody: Sendable, CustomTestStringConvertible {
            var body: String
            var expected: String
            var testDescription: String { expected }
        }

        @Test(
            "rejects bodies the spec does not allow",
            arguments: [
                BadBody(body: #"{"locationId":"loc","favouriteColor":"blue"}"#, expected: "property favouriteColor should not exist"),
                BadBody(body: #"{"locationId":"loc","notes":"hi"}"#, expected: "property notes should not exist"),
                BadBody(body: #"{"firstName":"Jane"}"#, expected: "body.locationId is required"),
                BadBody(body: #"{"locationId":5}"#, expected: "body.locationId must be a string"),
                BadBody(body: #"{"locationId":"loc","firstName":7}"#, expected: "body.firstName must be a string"),
                BadBody(body: #"{"locationId":"loc","tags":"vip"}"#, expected: "body.tags must be an array"),
                BadBody(body: #"{"locationId":"loc","tags":[1]}"#, expected: "body.tags[0] must be a string"),
                BadBody(body: #"{"locationId":"loc","dnd":"yes"}"#, expected: "body.dnd must be a boolean"),
                BadBody(body: #"{"locationId":null}"#, expected: "body.locationId must not be null"),
                BadBody(body: #"{"locationId":"loc","customFields":[{"field_value":"x"}]}"#, expected: "body.customFields[0] matches none"),
                BadBody(body: #"{"locationId":"loc","customFields":[{"id":"f","value":"x"}]}"#, expected: "property value should not exist"),
                BadBody(
                    body: #"{"locationId":"loc","dndSettings":{"Call":{"status":"active","bogus":1}}}"#,
                    expected: "property bogus should not exist"
                ),
                BadBody(body: "not json", expected: "the body is not JSON"),
            ]
        )
        func rejectsInvalidBodies(bad: BadBody) throws {
            let found = try problems(bad.body)
            #expect(found.contains { $0.contains(bad.expected) }, "\(found)")
        }

        @Test func requiresTheVersionHeaderWithTheDocumentedValue() throws {
            let missing = try problems(#"{"locationId":"loc"}"#, headers: [("Authorization", "Bearer t"), ("Content-Type", "application/json")])
            #expect(missing.contains("header Version is required"))
            let wrong = try problems(
                #"{"locationId":"loc"}"#,
                headers: [
                    ("Authorization", "Bearer t"), ("Version", "2020-01-01"), ("Content-Type", "application/json"),
                ]
            )
            #expect(wrong.contains { $0.contains("header Version must be one of 2021-07-28") }, "\(wrong)")
        }

        @Test func requiresABearerAuthorizationAndJSONContentType() throws {
            let found = try problems(#"{"locationId":"loc"}"#, headers: [("Version", "2021-07-28"), ("Content-Type", "text/plain")])
            #expect(found.contains("header Authorization must be \"Bearer <token>\""))
            #expect(found.contains("header Content-Type must be application/json"))
        }

        @Test func rejectsUnknownOperationsAndEmptyRequiredBodies() throws {
            #expect(try problems("{}", path: "/contacts/nope/else/where") != [])
            #expect(try problems("").contains("a JSON body is required"))
        }

        @Test func resolvesReferencesIntoTheCommonSchemas() throws {
            let validator = try GHLOpenAPIValidator.standard()
            let schemas = JSONSchemaSubset(documents: ["": validator.spec], closedObjects: true)
            let reference = JSONValue.object(["$ref": .string("../common/common-schemas.json#/components/schemas/BadRequestDTO")])
            #expect(schemas.validate(.object([:]), against: reference).contains { $0.contains("cannot resolve") })
            let common = try JSONDecoder().decode(
                JSONValue.self,
                from: Data(contentsOf: TestEnvironment.reference.appendingPathComponent("ghl-common-schemas.json"))
            )
            let full = JSONSchemaSubset(documents: ["": validator.spec, "../common/common-schemas.json": common], closedObjects: true)
            #expect(full.validate(.object(["statusCode": .number(400), "message": .string("x")]), against: reference) == [])
            #expect(full.validate(.object(["statusCode": .string("400")]), against: reference) == ["body.statusCode must be a number"])
        }
    }
}
