import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Testing

@Suite("Hosted lead forms")
struct FormsTests {
    static let urlEncoded: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func rendersTheConfiguredFieldsWithMobileFriendlyInputs() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(
                tenant,
                name: "Roof form",
                kind: .form,
                config: [
                    "title": "Free <roof> inspection", "fields": ["name", "email", "phone", "postal_code", "question"],
                    "required": ["name", "phone"], "question_label": "What happened to your roof?",
                ]
            )
            let response = try await client.execute(uri: "/f/\(source.token)", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: response.body)
            #expect(html.contains("Free &lt;roof&gt; inspection"), "config text is HTML-escaped")
            #expect(html.contains(#"name="viewport""#))
            #expect(html.contains(#"type="tel""#) && html.contains(#"type="email""#) && html.contains(#"autocomplete="postal-code""#))
            #expect(html.contains("What happened to your roof?"))
            #expect(html.contains(#"<textarea id="f-question" name="question""#))
            #expect(html.contains(#"name="lr_website""#), "the honeypot is present")
            #expect(html.contains(#"action="/f/\#(source.token)""#))
        }
    }

    @Test func unknownOrNonFormTokensAreNotFound() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, _ in
            #expect(try await client.execute(uri: "/f/doesnotexistdoesnotexist", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/f/\(tenant.source.token)", method: .get).status == .notFound, "an api source has no form")
            let post = try await client.execute(
                uri: "/f/doesnotexistdoesnotexist",
                method: .post,
                headers: Self.urlEncoded,
                body: ByteBuffer(string: "email=a%40b.co")
            )
            #expect(post.status == .notFound)
        }
    }

    @Test func aValidSubmissionIsStoredWithDeliveriesAndRedirectsToTheThankYouPage() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "Form", kind: .form, config: ["fields": ["name", "email", "phone", "question"]])
            let body = "name=Ada+Lovelace&email=ada%40example.com&phone=%28201%29+555-0291&question=Leaking+roof&lr_website=&utm_source=fb"
            let response = try await client.execute(
                uri: "/f/\(source.token)",
                method: .post,
                headers: Self.urlEncoded,
                body: ByteBuffer(string: body)
            )
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/f/\(source.token)/thanks")
            let leads = try await stores.postgres.query(
                """
                SELECT first_name, last_name, email, phone, notes, extra->>'utm_source', channel, status FROM leads
                """
            ).decode((String, String, String, String, String, String, String, String).self)
            var seen = 0
            for try await lead in leads {
                seen += 1
                let values = [lead.0, lead.1, lead.2, lead.3, lead.4, lead.5, lead.6, lead.7]
                #expect(values == ["Ada", "Lovelace", "ada@example.com", "+12015550291", "Leaking roof", "fb", "form", "accepted"])
            }
            #expect(seen == 1)
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries") == 2)
            let thanks = try await client.execute(uri: "/f/\(source.token)/thanks", method: .get)
            #expect(thanks.status == .ok)
            #expect(String(buffer: thanks.body).contains("Thank you"))
        }
    }

    @Test func multipartFromAnotherWebsiteUsesAliasesAndTheConfiguredThankYouURL() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(
                tenant,
                name: "Site form",
                kind: .form,
                config: ["thank_you_url": "https://roofs.example/thanks"]
            )
            let boundary = "XyZ123"
            let parts = [("First Name", "Grace"), ("Last Name", "Hopper"), ("Phone Number", "+44 20 7946 0958"), ("Service", "Gutters")]
            var text = parts.map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"\($0.0)\"\r\n\r\n\($0.1)\r\n" }.joined()
            text += "--\(boundary)--\r\n"
            let response = try await client.execute(
                uri: "/f/\(source.token)",
                method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: text)
            )
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "https://roofs.example/thanks")
            let leads = try await stores.postgres.query("SELECT first_name, phone, extra->>'Service' FROM leads").decode(
                (String, String, String).self
            )
            for try await lead in leads { #expect(lead == ("Grace", "+442079460958", "Gutters")) }
        }
    }

    @Test func anInvalidSubmissionShowsTheFormAgainWithValuesAndAMessagePerField() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(
                tenant,
                name: "Form",
                kind: .form,
                config: [
                    "fields": ["name", "email", "phone"], "required": ["name"],
                ]
            )
            let body = "name=&email=not-an-email&phone=12"
            let response = try await client.execute(
                uri: "/f/\(source.token)",
                method: .post,
                headers: Self.urlEncoded,
                body: ByteBuffer(string: body)
            )
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("Name is required"))
            #expect(html.contains(#"value="not-an-email""#), "what the person typed is kept")
            #expect(html.contains(#"id="e-email""#))
            #expect(html.contains(#"aria-invalid="true""#))
            #expect(try await stores.count("SELECT count(*)::int FROM leads") == 0)

            let noContact = try await client.execute(
                uri: "/f/\(source.token)",
                method: .post,
                headers: Self.urlEncoded,
                body: ByteBuffer(string: "name=Bo")
            )
            #expect(noContact.status == .unprocessableContent)
            #expect(String(buffer: noContact.body).contains("an email address or a phone number"))
        }
    }

    @Test func aBadPhoneIsAFieldErrorOnAFormEvenWithAValidEmail() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "Form", kind: .form)
            let response = try await client.execute(
                uri: "/f/\(source.token)",
                method: .post,
                headers: Self.urlEncoded,
                body: ByteBuffer(string: "email=bo%40example.com&phone=call+me")
            )
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains("Enter a valid phone number"))
        }
    }

    @Test func aFilledHoneypotLooksLikeSuccessButIsStoredAsSpamWithoutDeliveries() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "Form", kind: .form)
            let body = "name=Bot&email=bot%40spam.example&lr_website=http%3A%2F%2Fspam.example"
            let response = try await client.execute(
                uri: "/f/\(source.token)",
                method: .post,
                headers: Self.urlEncoded,
                body: ByteBuffer(string: body)
            )
            #expect(response.status == .seeOther)
            #expect(try await stores.count("SELECT count(*)::int FROM leads WHERE status = 'spam'") == 1)
            #expect(try await stores.count("SELECT count(*)::int FROM deliveries") == 0)
        }
    }

    @Test func aJSONClientGetsJSONAnswersWithCORS() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "Form", kind: .form)
            var headers = Self.urlEncoded
            headers[.accept] = "application/json"
            let ok = try await client.execute(
                uri: "/f/\(source.token)",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "email=a%40example.com")
            )
            #expect(ok.status == .created)
            #expect(ok.headers[.accessControlAllowOrigin] == "*")
            #expect(ok.json["status"] as? String == "accepted")
            let bad = try await client.execute(uri: "/f/\(source.token)", method: .post, headers: headers, body: ByteBuffer(string: "name=x"))
            #expect(bad.status == .unprocessableContent)
            #expect((bad.json["error"] as? [String: Any])?["code"] as? String == "invalid_lead")
        }
    }

    @Test func aWrongContentTypeOrAnOversizedBodyIsRefused() async throws {
        try await IngestAPITestHarness.run { client, tenant, _, stores in
            let source = try await stores.makeSource(tenant, name: "Form", kind: .form)
            let json = try await client.execute(
                uri: "/f/\(source.token)",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}")
            )
            #expect(json.status == .unsupportedMediaType)
            let big = try await client.execute(
                uri: "/f/\(source.token)",
                method: .post,
                headers: Self.urlEncoded,
                body: ByteBuffer(string: "notes=" + String(repeating: "a", count: 70_000))
            )
            #expect(big.status == .contentTooLarge)
        }
    }
}
