/// The OpenAPI 3.1 description of LeadRelay's public HTTP API, compiled into the binary and served
/// at `GET /openapi.json`. `scripts/contract-test` runs schemathesis against a live server with it,
/// and `OpenAPIDocumentTests` checks that it names every route the router has: change it together
/// with the routes and the JSON the controllers send.
enum OpenAPIDocument {
    /// The document as JSON text.
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "LeadRelay API",
    "version": "1.0.0",
    "description": "Gets sales leads from web forms, CSV files, the bulk JSON API and webhooks into the CRM a business works them in. `/api/*` takes `Authorization: Bearer <api key>`; a key reaches only its own tenant, and anything else is 404 (not 403). JSON errors are `{\"error\": {\"code\", \"message\", \"details\"}}` (`details` only when there are field-level problems)."
  },
  "tags": [
    {
      "name": "leads"
    },
    {
      "name": "imports"
    },
    {
      "name": "sources"
    },
    {
      "name": "webhooks"
    },
    {
      "name": "forms"
    },
    {
      "name": "health"
    },
    {
      "name": "meta"
    }
  ],
  "paths": {
    "/health": {
      "get": {
        "operationId": "health",
        "tags": [
          "health"
        ],
        "summary": "Liveness",
        "description": "Answers as long as the process runs; checks no dependency.",
        "responses": {
          "200": {
            "description": "Alive.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Liveness"
                }
              }
            }
          }
        }
      }
    },
    "/health/ready": {
      "get": {
        "operationId": "ready",
        "tags": [
          "health"
        ],
        "summary": "Readiness",
        "description": "PostgreSQL and Redis, each checked with a 2 s timeout.",
        "responses": {
          "200": {
            "description": "Both reachable.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Readiness"
                }
              }
            }
          },
          "503": {
            "description": "At least one dependency is unreachable; `status` names it.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Readiness"
                }
              }
            }
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openAPIDocument",
        "tags": [
          "meta"
        ],
        "summary": "This document",
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document of this API.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/api/leads": {
      "post": {
        "operationId": "createLead",
        "tags": [
          "leads"
        ],
        "summary": "Submit one lead",
        "description": "Validates, normalizes and stores the lead, then queues its deliveries. Also takes the bulk shapes.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/LeadSource"
          },
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "anyOf": [
                  {
                    "$ref": "#/components/schemas/Lead"
                  },
                  {
                    "$ref": "#/components/schemas/LeadArray"
                  },
                  {
                    "$ref": "#/components/schemas/BulkLeadEnvelope"
                  }
                ],
                "description": "One lead object (an optional `source` member picks the source), a JSON array of leads, or `{\"leads\": [...], \"source\": …}`."
              },
              "examples": {
                "lead": {
                  "summary": "One lead",
                  "value": {
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "email": "ada@example.com",
                    "phone": "(201) 555-0291"
                  }
                },
                "bulk": {
                  "summary": "Several leads",
                  "value": {
                    "leads": [
                      {
                        "first_name": "Ada",
                        "last_name": "Lovelace",
                        "email": "ada@example.com",
                        "phone": "(201) 555-0291"
                      },
                      {
                        "name": "Grace Hopper",
                        "mobile": "+44 7700 900123",
                        "zip": "10001",
                        "How did you hear about us?": "Radio"
                      },
                      {
                        "first_name": "No contact"
                      }
                    ]
                  }
                }
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "Stored durably; one result per item (one bad item never rejects the others).",
            "headers": {
              "Idempotent-Replayed": {
                "description": "`true` when this is the saved answer of an earlier request with the same `Idempotency-Key`.",
                "schema": {
                  "type": "string",
                  "enum": [
                    "true"
                  ]
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LeadIngestResponse"
                }
              }
            }
          },
          "400": {
            "description": "`malformed_json` (with where it broke) or `invalid_idempotency_key`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The named source does not exist in the caller's tenant (`not_found`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 10 MB (`payload_too_large`) or more than 10,000 leads (`too_many_leads`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "Content-Type is not `application/json` or `application/*+json` (`unsupported_media_type`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "`invalid_body` (not a lead object, an array or `{\"leads\": [...]}`), `no_leads`, `source_unavailable` (disabled or webhook-only source), or `idempotency_key_reused`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      }
    },
    "/api/leads/bulk": {
      "post": {
        "operationId": "createLeadsBulk",
        "tags": [
          "leads"
        ],
        "summary": "Submit up to 10,000 leads",
        "description": "Up to 10,000 leads / 10 MB, validated, normalized and stored in one transaction; deliveries are queued after the commit.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/LeadSource"
          },
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "anyOf": [
                  {
                    "$ref": "#/components/schemas/LeadArray"
                  },
                  {
                    "$ref": "#/components/schemas/BulkLeadEnvelope"
                  }
                ],
                "description": "A JSON array of leads, or `{\"leads\": [...], \"source\": …}`."
              },
              "examples": {
                "bulk": {
                  "summary": "Several leads",
                  "value": {
                    "leads": [
                      {
                        "first_name": "Ada",
                        "last_name": "Lovelace",
                        "email": "ada@example.com",
                        "phone": "(201) 555-0291"
                      },
                      {
                        "name": "Grace Hopper",
                        "mobile": "+44 7700 900123",
                        "zip": "10001",
                        "How did you hear about us?": "Radio"
                      },
                      {
                        "first_name": "No contact"
                      }
                    ]
                  }
                },
                "array": {
                  "summary": "A bare array",
                  "value": [
                    {
                      "name": "Grace Hopper",
                      "mobile": "+44 7700 900123",
                      "zip": "10001",
                      "How did you hear about us?": "Radio"
                    }
                  ]
                }
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "Stored durably; one result per item (one bad item never rejects the others).",
            "headers": {
              "Idempotent-Replayed": {
                "description": "`true` when this is the saved answer of an earlier request with the same `Idempotency-Key`.",
                "schema": {
                  "type": "string",
                  "enum": [
                    "true"
                  ]
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LeadIngestResponse"
                }
              }
            }
          },
          "400": {
            "description": "`malformed_json` (with where it broke) or `invalid_idempotency_key`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The named source does not exist in the caller's tenant (`not_found`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 10 MB (`payload_too_large`) or more than 10,000 leads (`too_many_leads`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "Content-Type is not `application/json` or `application/*+json` (`unsupported_media_type`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "`invalid_body` (not an array or `{\"leads\": [...]}`), `no_leads`, `source_unavailable` (disabled or webhook-only source), or `idempotency_key_reused`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      }
    },
    "/api/imports": {
      "post": {
        "operationId": "createImport",
        "tags": [
          "imports"
        ],
        "summary": "Import a CSV file",
        "description": "Streams the file into a `csv` (or `api`) source: rows are committed in batches of 2,000 as they arrive (≤ 512 MB). Answers when the whole file is read.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "name": "source",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            },
            "description": "Source id or name (400 `missing_source` without it)."
          },
          {
            "name": "filename",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "The file's name, shown with the import."
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "text/csv": {
              "schema": {
                "type": "string",
                "description": "The CSV file (UTF-8 with or without BOM, UTF-16, Windows-1252; `,` `;` tab or `|`)."
              },
              "example": "email,first_name,last_name,phone\nada@example.com,Ada,Lovelace,(201) 555-0291\nnot-an-email,Bob,,\n"
            },
            "text/plain": {
              "schema": {
                "type": "string",
                "description": "The CSV file (UTF-8 with or without BOM, UTF-16, Windows-1252; `,` `;` tab or `|`)."
              },
              "example": "email,first_name,last_name,phone\nada@example.com,Ada,Lovelace,(201) 555-0291\nnot-an-email,Bob,,\n"
            },
            "application/csv": {
              "schema": {
                "type": "string",
                "description": "The CSV file (UTF-8 with or without BOM, UTF-16, Windows-1252; `,` `;` tab or `|`)."
              }
            },
            "text/tab-separated-values": {
              "schema": {
                "type": "string",
                "description": "The CSV file (UTF-8 with or without BOM, UTF-16, Windows-1252; `,` `;` tab or `|`)."
              }
            },
            "application/vnd.ms-excel": {
              "schema": {
                "type": "string",
                "description": "The CSV file (UTF-8 with or without BOM, UTF-16, Windows-1252; `,` `;` tab or `|`)."
              }
            },
            "application/octet-stream": {
              "schema": {
                "type": "string",
                "description": "The CSV file (UTF-8 with or without BOM, UTF-16, Windows-1252; `,` `;` tab or `|`)."
              }
            },
            "multipart/form-data": {
              "schema": {
                "type": "object",
                "required": [
                  "file"
                ],
                "properties": {
                  "file": {
                    "type": "string",
                    "contentMediaType": "text/csv",
                    "description": "The CSV file; other fields are ignored."
                  }
                }
              },
              "example": {
                "file": "email,first_name,last_name,phone\nada@example.com,Ada,Lovelace,(201) 555-0291\nnot-an-email,Bob,,\n"
              },
              "encoding": {
                "file": {
                  "contentType": "text/csv"
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The file was read; every row is a lead, a duplicate or in the error report.",
            "headers": {
              "Location": {
                "$ref": "#/components/headers/Location"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Import"
                }
              }
            }
          },
          "400": {
            "description": "`missing_source`, `invalid_filename` (holds U+0000), `invalid_multipart` (no boundary, or an unparseable body) or `missing_file` (no `file` field).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The source does not exist in the caller's tenant (`not_found`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "The file is over 512 MB (`payload_too_large`); with the import when rows were already committed.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ImportFailure"
                }
              }
            }
          },
          "415": {
            "description": "Not a CSV or multipart content type (`unsupported_media_type`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "`source_unavailable` (disabled, or not a csv/api source), or `import_failed`: the file cannot be a CSV (binary, empty, header only, no email or phone column, cut off), with the import as stored.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ImportFailure"
                }
              }
            }
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      },
      "get": {
        "operationId": "listImports",
        "tags": [
          "imports"
        ],
        "summary": "Recent imports",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "responses": {
          "200": {
            "description": "The tenant's 50 most recent imports, newest first (without `errors`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ImportList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      }
    },
    "/api/imports/{id}": {
      "get": {
        "operationId": "getImport",
        "tags": [
          "imports"
        ],
        "summary": "An import's progress and result",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/ImportId"
          }
        ],
        "responses": {
          "200": {
            "description": "The import with its first 20 rejected rows.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Import"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      }
    },
    "/api/imports/{id}/errors.csv": {
      "get": {
        "operationId": "getImportErrorReport",
        "tags": [
          "imports"
        ],
        "summary": "The rejected rows as CSV",
        "description": "UTF-8 with BOM: `row,line,reason,<the file's columns>,extra_values`; cells starting with `= + - @`, tab or CR are prefixed with `'`.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/ImportId"
          }
        ],
        "responses": {
          "200": {
            "description": "The report, streamed.",
            "headers": {
              "Content-Disposition": {
                "description": "`attachment; filename=\"import-<id>-errors.csv\"`",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      }
    },
    "/api/sources": {
      "get": {
        "operationId": "listSources",
        "tags": [
          "sources"
        ],
        "summary": "The tenant's sources",
        "description": "By name; secrets are never returned (`has_secrets` says whether any are set).",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "responses": {
          "200": {
            "description": "The sources.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SourceList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      }
    },
    "/hooks/{token}": {
      "get": {
        "operationId": "verifyWebhook",
        "tags": [
          "webhooks"
        ],
        "summary": "Meta's subscription check",
        "description": "Only facebook sources take GET: `hub.challenge` is echoed when `hub.verify_token` matches the source's `verify_token`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookToken"
          },
          {
            "name": "hub.mode",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Meta: `subscribe`.",
            "example": "subscribe"
          },
          {
            "name": "hub.verify_token",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Meta: the source's `verify_token`."
          },
          {
            "name": "hub.challenge",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Meta: echoed when the token matches.",
            "example": "1158201444"
          }
        ],
        "responses": {
          "200": {
            "description": "The challenge, echoed.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "description": "Not `hub.mode=subscribe` with a `hub.challenge`. The body is `{\"error\": {\"code\": <outcome>, \"message\": <reason>}}` (`rejected` or `bad_signature`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "`hub.verify_token` does not match (`bad_signature`). The body is `{\"error\": {\"code\": <outcome>, \"message\": <reason>}}` (`rejected` or `bad_signature`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "No enabled webhook source has this token (`not_found`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "Not a facebook source: the webhook takes POST requests. The body is `{\"error\": {\"code\": <outcome>, \"message\": <reason>}}` (`rejected` or `bad_signature`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      },
      "post": {
        "operationId": "receiveWebhook",
        "tags": [
          "webhooks"
        ],
        "summary": "Receive a webhook",
        "description": "What the body means depends on the source's preset: generic/zapier take a JSON object, a JSON array of objects or an urlencoded form; facebook a leadgen notification; monday an event or `{\"challenge\"}`; shopmonkey a Standard Webhooks event. Monday JWTs come in `Authorization`. Every request is recorded in `inbound_events`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/WebhookToken"
          },
          {
            "name": "X-LeadRelay-Signature",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "generic/zapier with a `signing_secret`: `sha256=<hex HMAC-SHA256(signing_secret, body)>`."
          },
          {
            "name": "X-Hub-Signature-256",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "facebook with an `app_secret`: `sha256=<hex>`."
          },
          {
            "name": "webhook-id",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "shopmonkey (Standard Webhooks)."
          },
          {
            "name": "webhook-timestamp",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "shopmonkey (Standard Webhooks), ±5 minutes."
          },
          {
            "name": "webhook-signature",
            "in": "header",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "shopmonkey (Standard Webhooks): `v1,<base64>`, several allowed."
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "description": "Provider-specific JSON."
              },
              "examples": {
                "generic": {
                  "summary": "generic/zapier: one lead",
                  "value": {
                    "email": "ada@example.com",
                    "first_name": "Ada",
                    "Which location?": "Downtown"
                  }
                },
                "zapier": {
                  "summary": "generic/zapier: leads",
                  "value": [
                    {
                      "email": "ada@example.com"
                    },
                    {
                      "phone": "+1 201 555 0291"
                    }
                  ]
                },
                "monday": {
                  "summary": "monday: subscription challenge",
                  "value": {
                    "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
                  }
                }
              }
            },
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object",
                "additionalProperties": {
                  "type": "string"
                }
              },
              "example": {
                "email": "ada@example.com",
                "first_name": "Ada"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Taken: leads stored, a re-delivery recognised, an event ignored or queued for fetching, or monday's challenge echoed.",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/WebhookResult"
                    },
                    {
                      "$ref": "#/components/schemas/WebhookNote"
                    },
                    {
                      "$ref": "#/components/schemas/MondayChallenge"
                    }
                  ]
                }
              }
            }
          },
          "400": {
            "description": "Empty or malformed body. The body is `{\"error\": {\"code\": <outcome>, \"message\": <reason>}}` (`rejected` or `bad_signature`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "Signature missing or wrong (`bad_signature`). The body is `{\"error\": {\"code\": <outcome>, \"message\": <reason>}}` (`rejected` or `bad_signature`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "No enabled webhook source has this token (`not_found`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 1 MB (`payload_too_large`); a 4 KB stub is recorded.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "generic/zapier: a content type other than JSON or urlencoded. The body is `{\"error\": {\"code\": <outcome>, \"message\": <reason>}}` (`rejected` or `bad_signature`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "The body is not what the preset expects or holds U+0000 (`rejected`), or every lead in it was rejected (a `WebhookResult` with `status` `rejected`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/Error"
                    },
                    {
                      "$ref": "#/components/schemas/WebhookResult"
                    }
                  ]
                }
              }
            }
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      }
    },
    "/f/{token}": {
      "get": {
        "operationId": "showForm",
        "tags": [
          "forms"
        ],
        "summary": "The hosted form",
        "parameters": [
          {
            "$ref": "#/components/parameters/FormToken"
          }
        ],
        "responses": {
          "200": {
            "description": "The form page.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string",
                  "description": "An HTML page."
                }
              }
            }
          },
          "404": {
            "description": "No enabled form source has this token.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string",
                  "description": "An HTML page."
                }
              }
            }
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      },
      "post": {
        "operationId": "submitForm",
        "tags": [
          "forms"
        ],
        "summary": "Submit the form",
        "description": "From the hosted page or any website's `<form action>`. Send `Accept: application/json` (without `text/html`) for JSON answers (with CORS) instead of redirects and pages. A filled honeypot (`lr_website`) is answered like a success and stored as spam without deliveries.",
        "parameters": [
          {
            "$ref": "#/components/parameters/FormToken"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "$ref": "#/components/schemas/FormFields"
              },
              "example": {
                "name": "Ada Lovelace",
                "email": "ada@example.com",
                "phone": "(201) 555-0291"
              }
            },
            "multipart/form-data": {
              "schema": {
                "$ref": "#/components/schemas/FormFields"
              }
            },
            "text/plain": {
              "schema": {
                "type": "string",
                "description": "Read as urlencoded."
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Accepted (JSON answers).",
            "headers": {
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/AccessControlAllowOrigin"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FormSuccess"
                }
              }
            }
          },
          "303": {
            "description": "Accepted: to the source's thank-you URL, or `/f/{token}/thanks`.",
            "headers": {
              "Location": {
                "$ref": "#/components/headers/Location"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/AccessControlAllowOrigin"
              }
            }
          },
          "400": {
            "description": "Broken multipart body (`invalid_multipart`), or a field holding U+0000 (`invalid_form`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "No enabled form source has this token (JSON `not_found` for JSON answers).",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string",
                  "description": "An HTML page."
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body over 64 KB (`payload_too_large`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "415": {
            "description": "Not urlencoded, multipart or text/plain (`unsupported_media_type`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "Invalid input: the form again with the values and a message per field, or JSON `invalid_lead` with `details` per input.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string",
                  "description": "An HTML page."
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      }
    },
    "/f/{token}/thanks": {
      "get": {
        "operationId": "formThanks",
        "tags": [
          "forms"
        ],
        "summary": "The default thank-you page",
        "parameters": [
          {
            "$ref": "#/components/parameters/FormToken"
          }
        ],
        "responses": {
          "200": {
            "description": "The page, with the source's thank-you message.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string",
                  "description": "An HTML page."
                }
              }
            }
          },
          "404": {
            "description": "No enabled form source has this token.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string",
                  "description": "An HTML page."
                }
              }
            }
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/DatabaseUnavailable"
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "tags": [
          "meta"
        ],
        "summary": "Prometheus metrics",
        "description": "Prometheus text exposition; behind `Authorization: Bearer <METRICS_TOKEN>` when the server has `METRICS_TOKEN` set.",
        "security": [
          {},
          {
            "metricsToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The metrics.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "description": "`METRICS_TOKEN` is set and the request does not present it (`unauthorized`).",
            "headers": {
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWWAuthenticate"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/imports/new": {
      "get": {
        "operationId": "uploadPage",
        "tags": [
          "imports"
        ],
        "summary": "The CSV upload page",
        "description": "Asks for an API key (kept in the tab only) and uploads with `POST /api/imports`.",
        "responses": {
          "200": {
            "description": "The page.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string",
                  "description": "An HTML page."
                }
              }
            }
          }
        }
      }
    },
    "/assets/upload.js": {
      "get": {
        "operationId": "uploadScript",
        "tags": [
          "imports"
        ],
        "summary": "The upload page's script",
        "responses": {
          "200": {
            "description": "The script.",
            "content": {
              "text/javascript": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key from `leadctl apikey create` (`lr_…`)."
      },
      "metricsToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "The server's `METRICS_TOKEN`, when one is set."
      }
    },
    "schemas": {
      "FieldIssue": {
        "type": "object",
        "description": "A problem with one field (`lead` for the item or request as a whole).",
        "required": [
          "field",
          "message"
        ],
        "additionalProperties": false,
        "properties": {
          "field": {
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        }
      },
      "ErrorDetail": {
        "type": "object",
        "required": [
          "code",
          "message"
        ],
        "additionalProperties": false,
        "properties": {
          "code": {
            "type": "string",
            "description": "Machine-readable code, e.g. `malformed_json`, `unauthorized`, `payload_too_large`, `rate_limited`, `database_unavailable`."
          },
          "message": {
            "type": "string",
            "description": "What went wrong, for a developer."
          },
          "details": {
            "type": "array",
            "minItems": 1,
            "items": {
              "$ref": "#/components/schemas/FieldIssue"
            },
            "description": "Field-level problems; omitted when there are none."
          }
        }
      },
      "Error": {
        "type": "object",
        "description": "The error envelope of every JSON error answer.",
        "required": [
          "error"
        ],
        "additionalProperties": false,
        "properties": {
          "error": {
            "$ref": "#/components/schemas/ErrorDetail"
          }
        }
      },
      "Lead": {
        "type": "object",
        "description": "One lead as a flat JSON object. Keys are matched case- and punctuation-insensitively against the known fields and their aliases (`firstName`, `E-mail`, `phone_number`, `zip`…) and the source's `field_map`; every other key is kept in `extra`. Scalars are taken as text; a lead needs an email or a phone.",
        "additionalProperties": true,
        "properties": {
          "first_name": {
            "type": [
              "string",
              "number",
              "boolean",
              "null"
            ]
          },
          "last_name": {
            "type": [
              "string",
              "number",
              "boolean",
              "null"
            ]
          },
          "full_name": {
            "type": [
              "string",
              "number",
              "boolean",
              "null"
            ]
          },
          "email": {
            "type": [
              "string",
              "number",
              "boolean",
              "null"
            ]
          },
          "phone": {
            "type": [
              "string",
              "number",
              "boolean",
              "null"
            ]
          },
          "postal_code": {
            "type": [
              "string",
              "number",
              "boolean",
              "null"
            ]
          },
          "notes": {
            "type": [
              "string",
              "number",
              "boolean",
              "null"
            ]
          },
          "external_id": {
            "type": [
              "string",
              "number",
              "boolean",
              "null"
            ]
          }
        }
      },
      "BulkLeadEnvelope": {
        "type": "object",
        "required": [
          "leads"
        ],
        "properties": {
          "leads": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Lead"
            },
            "minItems": 1,
            "maxItems": 10000,
            "description": "Leads; an item that is not an object is rejected on its own (in `results`)."
          },
          "source": {
            "type": [
              "string",
              "number",
              "boolean"
            ],
            "minLength": 1,
            "description": "Source id or name (the `source` query parameter wins)."
          }
        }
      },
      "LeadArray": {
        "type": "array",
        "minItems": 1,
        "maxItems": 10000,
        "items": {
          "$ref": "#/components/schemas/Lead"
        },
        "description": "Leads; an item that is not an object is rejected on its own (in `results`)."
      },
      "ItemResult": {
        "type": "object",
        "required": [
          "index",
          "status"
        ],
        "additionalProperties": false,
        "properties": {
          "index": {
            "type": "integer",
            "minimum": 0,
            "description": "Position of the item in the request."
          },
          "status": {
            "type": "string",
            "enum": [
              "accepted",
              "duplicate",
              "rejected"
            ]
          },
          "lead_id": {
            "type": "integer",
            "format": "int64",
            "description": "Present for `accepted` and `duplicate` (the existing lead)."
          },
          "errors": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FieldIssue"
            },
            "description": "Present for `rejected`."
          },
          "warnings": {
            "type": "array",
            "minItems": 1,
            "items": {
              "$ref": "#/components/schemas/FieldIssue"
            },
            "description": "Present when a value was kept but flagged (e.g. a phone that could not be normalized)."
          }
        }
      },
      "LeadIngestResponse": {
        "type": "object",
        "required": [
          "accepted",
          "duplicates",
          "rejected",
          "source_id",
          "results"
        ],
        "additionalProperties": false,
        "properties": {
          "accepted": {
            "type": "integer",
            "minimum": 0
          },
          "duplicates": {
            "type": "integer",
            "minimum": 0
          },
          "rejected": {
            "type": "integer",
            "minimum": 0
          },
          "source_id": {
            "type": "string",
            "format": "uuid",
            "description": "Lower case."
          },
          "results": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ItemResult"
            },
            "description": "One result per submitted item, in order."
          }
        }
      },
      "ImportRowError": {
        "type": "object",
        "required": [
          "row",
          "reason",
          "fields"
        ],
        "additionalProperties": false,
        "properties": {
          "row": {
            "type": "integer",
            "minimum": 1,
            "description": "1-based data row (1 = the first row after the header)."
          },
          "line": {
            "type": "integer",
            "minimum": 1,
            "description": "1-based physical line where the row starts; omitted when unknown."
          },
          "reason": {
            "type": "string"
          },
          "fields": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            },
            "description": "The row's cells by column name, as read."
          }
        }
      },
      "Import": {
        "type": "object",
        "required": [
          "id",
          "tenant_id",
          "source_id",
          "status",
          "filename",
          "encoding",
          "delimiter",
          "bytes_received",
          "rows_total",
          "accepted",
          "duplicates",
          "rejected",
          "failure_reason",
          "warnings",
          "columns",
          "field_columns",
          "created_at",
          "finished_at"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid",
            "description": "Lower case."
          },
          "tenant_id": {
            "type": "string",
            "format": "uuid"
          },
          "source_id": {
            "type": "string",
            "format": "uuid"
          },
          "status": {
            "type": "string",
            "enum": [
              "receiving",
              "completed",
              "failed"
            ]
          },
          "filename": {
            "type": [
              "string",
              "null"
            ]
          },
          "encoding": {
            "type": [
              "string",
              "null"
            ],
            "description": "`utf-8`, `utf-8-bom`, `utf-16le`, `windows-1252`…, once sniffed."
          },
          "delimiter": {
            "type": [
              "string",
              "null"
            ],
            "description": "`,` `;` tab or `|`, once sniffed."
          },
          "bytes_received": {
            "type": "integer",
            "format": "int64",
            "minimum": 0
          },
          "rows_total": {
            "type": "integer",
            "minimum": 0
          },
          "accepted": {
            "type": "integer",
            "minimum": 0
          },
          "duplicates": {
            "type": "integer",
            "minimum": 0
          },
          "rejected": {
            "type": "integer",
            "minimum": 0
          },
          "failure_reason": {
            "type": [
              "string",
              "null"
            ]
          },
          "warnings": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "columns": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "The header, in file order."
          },
          "field_columns": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "first_name": {
                "type": "string"
              },
              "last_name": {
                "type": "string"
              },
              "full_name": {
                "type": "string"
              },
              "email": {
                "type": "string"
              },
              "phone": {
                "type": "string"
              },
              "postal_code": {
                "type": "string"
              },
              "notes": {
                "type": "string"
              },
              "external_id": {
                "type": "string"
              }
            },
            "description": "The header column each lead field is read from, by field name (`{\"phone\": \"Contact Phone Number\"}`). Headers are matched by their words: case, punctuation and accents are ignored, filler words (`contact`, `primary`, `work`, `home`, `number`, `(required)`, `address` after e-mail…) left out. When several columns name a field the best match is read first (the whole header a known name, then a name with filler words, then a second value such as `Phone 2` or `Alternate Email`; the leftmost among equals, with a warning) and the others fill in on rows where it is blank. Empty before the header was read."
          },
          "errors": {
            "type": "array",
            "maxItems": 20,
            "items": {
              "$ref": "#/components/schemas/ImportRowError"
            },
            "description": "The first 20 rejected rows; present on single-import answers, omitted in lists."
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "finished_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        }
      },
      "ImportList": {
        "type": "object",
        "required": [
          "imports"
        ],
        "additionalProperties": false,
        "properties": {
          "imports": {
            "type": "array",
            "maxItems": 50,
            "items": {
              "$ref": "#/components/schemas/Import"
            },
            "description": "The 50 most recent imports, newest first."
          }
        }
      },
      "ImportFailure": {
        "type": "object",
        "description": "An error; when the import had started (the file was not a usable CSV, or grew past the limit) the import as stored is included (rows committed before the failure stay imported).",
        "required": [
          "error"
        ],
        "additionalProperties": false,
        "properties": {
          "error": {
            "$ref": "#/components/schemas/ErrorDetail"
          },
          "import": {
            "$ref": "#/components/schemas/Import"
          }
        }
      },
      "Source": {
        "type": "object",
        "required": [
          "id",
          "tenant_id",
          "name",
          "kind",
          "token",
          "config",
          "field_map",
          "has_secrets",
          "enabled",
          "destination_ids",
          "created_at"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "tenant_id": {
            "type": "string",
            "format": "uuid"
          },
          "name": {
            "type": "string"
          },
          "kind": {
            "type": "string",
            "enum": [
              "api",
              "form",
              "csv",
              "webhook"
            ]
          },
          "preset": {
            "type": "string",
            "enum": [
              "generic",
              "zapier",
              "facebook",
              "monday",
              "shopmonkey"
            ],
            "description": "Webhook sources only; omitted otherwise."
          },
          "token": {
            "type": "string",
            "description": "The public part of `/f/{token}` and `/hooks/{token}`."
          },
          "config": {
            "type": "object",
            "description": "Non-secret settings (form fields, thank-you URL…)."
          },
          "field_map": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "has_secrets": {
            "type": "boolean"
          },
          "notification_email": {
            "type": "string",
            "description": "Omitted when not set."
          },
          "enabled": {
            "type": "boolean"
          },
          "destination_ids": {
            "type": "array",
            "items": {
              "type": "string",
              "format": "uuid"
            }
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "SourceList": {
        "type": "object",
        "required": [
          "sources"
        ],
        "additionalProperties": false,
        "properties": {
          "sources": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Source"
            }
          }
        }
      },
      "Liveness": {
        "type": "object",
        "required": [
          "status"
        ],
        "additionalProperties": false,
        "properties": {
          "status": {
            "const": "ok"
          }
        }
      },
      "Readiness": {
        "type": "object",
        "required": [
          "status",
          "postgresql",
          "redis"
        ],
        "additionalProperties": false,
        "properties": {
          "status": {
            "type": "string",
            "description": "`ready`, or `unavailable: ` and the failing dependencies."
          },
          "postgresql": {
            "type": "string",
            "description": "`ok` or `unreachable (…)`."
          },
          "redis": {
            "type": "string",
            "description": "`ok` or `unreachable (…)`."
          }
        }
      },
      "WebhookResult": {
        "type": "object",
        "description": "The leads of a webhook request were stored (or all rejected: 422).",
        "required": [
          "status",
          "accepted",
          "duplicates",
          "rejected",
          "lead_ids",
          "event_id"
        ],
        "additionalProperties": false,
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "accepted",
              "duplicate",
              "rejected"
            ]
          },
          "accepted": {
            "type": "integer",
            "minimum": 0
          },
          "duplicates": {
            "type": "integer",
            "minimum": 0
          },
          "rejected": {
            "type": "integer",
            "minimum": 0
          },
          "lead_ids": {
            "type": "array",
            "items": {
              "type": "integer",
              "format": "int64"
            }
          },
          "event_id": {
            "type": "integer",
            "format": "int64",
            "description": "The `inbound_events` row."
          },
          "reason": {
            "type": "string",
            "description": "Problems with items, when there were any."
          }
        }
      },
      "WebhookNote": {
        "type": "object",
        "description": "A request recorded without new leads: `ignored` (not a lead event), `queued` (leads to fetch from the provider), `duplicate` (re-delivery of an event already taken).",
        "required": [
          "status",
          "reason"
        ],
        "additionalProperties": false,
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ignored",
              "queued",
              "duplicate"
            ]
          },
          "reason": {
            "type": "string"
          }
        }
      },
      "MondayChallenge": {
        "type": "object",
        "required": [
          "challenge"
        ],
        "additionalProperties": false,
        "properties": {
          "challenge": {
            "type": "string"
          }
        },
        "description": "monday.com's subscription challenge, echoed."
      },
      "FormSuccess": {
        "type": "object",
        "required": [
          "status"
        ],
        "additionalProperties": false,
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "accepted",
              "duplicate",
              "rejected"
            ]
          },
          "lead_id": {
            "type": "string",
            "pattern": "^[0-9]+$",
            "description": "The lead's id as text; omitted for spam."
          }
        }
      },
      "FormFields": {
        "type": "object",
        "description": "The hosted form's inputs, or any website's own field names (mapped by the source's `field_map` and the usual aliases; unknown names are kept in `extra`). A filled honeypot `lr_website` marks the submission as spam.",
        "additionalProperties": {
          "type": "string"
        },
        "properties": {
          "name": {
            "type": "string"
          },
          "first_name": {
            "type": "string"
          },
          "last_name": {
            "type": "string"
          },
          "email": {
            "type": "string"
          },
          "phone": {
            "type": "string"
          },
          "postal_code": {
            "type": "string"
          },
          "question": {
            "type": "string"
          },
          "lr_website": {
            "type": "string"
          }
        }
      }
    },
    "responses": {
      "Unauthorized": {
        "description": "Missing, malformed, revoked or unknown API key (`unauthorized`).",
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWWAuthenticate"
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "RateLimited": {
        "description": "More requests this minute than the key allows (`rate_limited`).",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "DatabaseUnavailable": {
        "description": "PostgreSQL is unreachable or too slow (`database_unavailable`); nothing was stored.",
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "InternalError": {
        "description": "An unexpected failure (`internal`); it is logged, the body says nothing internal.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "NotFound": {
        "description": "No such resource in the caller's tenant (`not_found`); another tenant's ids are answered the same way.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "parameters": {
      "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "Makes a retry safe: the first answer for this key is replayed for 24 h to a request with the same body (`Idempotent-Replayed: true`); another body gets 422 `idempotency_key_reused`. 1–255 visible ASCII characters, else 400 `invalid_idempotency_key`.",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "pattern": "^[!-~]+$"
        }
      },
      "LeadSource": {
        "name": "source",
        "in": "query",
        "required": false,
        "description": "Source id or name (default: the body's `source`, else the tenant's oldest `api` source).",
        "schema": {
          "type": "string",
          "minLength": 1
        }
      },
      "ImportId": {
        "name": "id",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "format": "uuid"
        },
        "description": "An import id; anything else is 404."
      },
      "WebhookToken": {
        "name": "token",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string"
        },
        "description": "The webhook source's secret URL token (20–128 characters)."
      },
      "FormToken": {
        "name": "token",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string"
        },
        "description": "The form source's public token (20–128 characters)."
      }
    },
    "headers": {
      "RetryAfter": {
        "description": "Seconds to wait before retrying.",
        "schema": {
          "type": "string",
          "pattern": "^[0-9]+$"
        }
      },
      "WWWAuthenticate": {
        "description": "Always `Bearer`.",
        "schema": {
          "type": "string"
        }
      },
      "Location": {
        "description": "Where the created or next resource is.",
        "schema": {
          "type": "string"
        }
      },
      "AccessControlAllowOrigin": {
        "description": "`*`: any website may post the form.",
        "schema": {
          "type": "string"
        }
      }
    }
  }
}
"""#
}
