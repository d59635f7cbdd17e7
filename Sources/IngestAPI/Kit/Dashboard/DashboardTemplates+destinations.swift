extension DashboardTemplates {
    /// The destinations list.
    static let configDestinations = """
        {{<dash_layout}}{{$title}}Destinations{{/title}}{{$body}}
        <h1>Destinations</h1>
        <div class="actions"><a class="button" href="/dashboard/destinations/new">New destination</a></div>
        <div class="panel scroll"><table>
        <thead><tr><th>Name</th>{{#showTenant}}<th>Tenant</th>{{/showTenant}}<th>Kind</th><th>Credential</th><th class="hide-small">Rate limit</th><th class="num hide-small">Max attempts</th><th>Status</th><th></th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="/dashboard/destinations/{{id}}">{{name}}</a></td>{{#showTenant}}<td>{{tenant}}</td>{{/showTenant}}<td>{{kind}}</td>
        <td>{{#hasSecret}}<span class="badge succeeded">set</span>{{/hasSecret}}{{^hasSecret}}<span class="badge">not set</span>{{/hasSecret}}</td>
        <td class="hide-small">{{rateLimit}}</td><td class="num hide-small">{{maxAttempts}}</td>
        <td>{{#enabled}}<span class="badge succeeded">enabled</span>{{/enabled}}{{^enabled}}<span class="badge dead">disabled</span>{{/enabled}}{{#dryRun}} <span class="badge retrying">dry run</span>{{/dryRun}}</td>
        <td><form method="post" action="/dashboard/destinations/{{id}}/{{#enabled}}disable{{/enabled}}{{^enabled}}enable{{/enabled}}">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="secondary">{{#enabled}}Disable{{/enabled}}{{^enabled}}Enable{{/enabled}}</button></form></td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="8" class="muted">No destinations yet.</td></tr>{{/rows}}
        </tbody></table></div>
        {{/body}}{{/dash_layout}}
        """

    /// Create or edit one destination. The credential is write-only.
    static let configDestinationForm = """
        {{<dash_layout}}{{$title}}{{#isNew}}New destination{{/isNew}}{{^isNew}}Destination {{name}}{{/isNew}}{{/title}}{{$body}}
        <h1>{{#isNew}}New destination{{/isNew}}{{^isNew}}Destination “{{name}}”{{/isNew}}</h1>
        {{^isNew}}<form method="post" action="/dashboard/destinations/{{id}}/test" class="panel" data-confirm="Send a made-up test lead to this destination?">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <div class="actions"><button type="submit" class="secondary">Send test lead</button>
        <span class="muted">Stores a made-up lead that the worker delivers to this destination only, like any other lead.</span></div></form>{{/isNew}}
        <form method="post" action="{{action}}" class="panel" autocomplete="off">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        {{#pickTenant}}<p><label>Tenant<br><select name="tenant" required>{{#tenants}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tenants}}</select></label>
        {{#errors.tenant}}<br><span class="alert">{{.}}</span>{{/errors.tenant}}</p>{{/pickTenant}}
        {{^isNew}}<p class="muted">Tenant: {{tenantName}} · Kind: {{kind}}</p>{{/isNew}}
        <p><label>Name<br><input name="name" value="{{name}}" required maxlength="200" size="40"></label>
        {{#errors.name}}<br><span class="alert">{{.}}</span>{{/errors.name}}</p>
        {{#isNew}}<p><label>Kind<br><select name="kind">{{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></label>
        {{#errors.kind}}<br><span class="alert">{{.}}</span>{{/errors.kind}}</p>{{/isNew}}
        <p><label>Config (JSON: GoHighLevel locationId, Momence hostId/sourceId, HTTP url/method/field_map…)<br><textarea name="config" rows="6">{{config}}</textarea></label>
        {{#errors.config}}<span class="alert">{{.}}</span>{{/errors.config}}</p>
        <p><label>API token / key {{#hasSecret}}<span class="badge succeeded">set</span>{{/hasSecret}}{{^hasSecret}}<span class="badge">not set</span>{{/hasSecret}}<br>
        <input type="password" name="secret" value="" autocomplete="new-password" size="40"></label><br>
        <span class="muted">Write-only: stored sealed, never shown again. Leave empty to keep the current one.</span></p>
        <p><label>Base URL override (optional)<br><input name="base_url" value="{{baseURL}}" size="40" placeholder="https://…"></label>
        {{#errors.baseURL}}<br><span class="alert">{{.}}</span>{{/errors.baseURL}}</p>
        <p><label>Rate limit: requests<br><input name="rate_limit_requests" value="{{rateLimitRequests}}" inputmode="numeric" size="8"></label>
        <label>per milliseconds<br><input name="rate_limit_interval_ms" value="{{rateLimitInterval}}" inputmode="numeric" size="10"></label>
        {{#isNew}}<br><span class="muted">Empty: the kind's default (GoHighLevel 100 / 10 s, Momence 1 / 3 s).</span>{{/isNew}}
        {{#errors.rateLimit}}<br><span class="alert">{{.}}</span>{{/errors.rateLimit}}</p>
        <p><label>Max attempts<br><input name="max_attempts" value="{{maxAttempts}}" inputmode="numeric" size="5"></label>
        <label>Timeout (ms)<br><input name="timeout_ms" value="{{timeout}}" inputmode="numeric" size="8"></label>
        {{#errors.maxAttempts}}<br><span class="alert">{{.}}</span>{{/errors.maxAttempts}}{{#errors.timeout}}<br><span class="alert">{{.}}</span>{{/errors.timeout}}</p>
        <p><label><input type="checkbox" name="dry_run" value="on"{{#dryRun}} checked{{/dryRun}}> Dry run (build and log requests, send nothing)</label><br>
        <label><input type="checkbox" name="enabled" value="on"{{#enabled}} checked{{/enabled}}> Enabled</label>
        {{#canAllowPrivateNetwork}}<br><label><input type="checkbox" name="allow_private_network" value="on"{{#allowPrivateNetwork}} checked{{/allowPrivateNetwork}}>
        Allow private network addresses (an on-premises CRM; operators only)</label>{{/canAllowPrivateNetwork}}
        {{^canAllowPrivateNetwork}}{{#allowPrivateNetwork}}<br><span class="muted">An operator allowed private network addresses for this destination.</span>{{/allowPrivateNetwork}}{{/canAllowPrivateNetwork}}</p>
        <div class="actions"><button type="submit">{{#isNew}}Create destination{{/isNew}}{{^isNew}}Save{{/isNew}}</button> <a href="/dashboard/destinations">Cancel</a></div>
        </form>
        {{^isNew}}<form method="post" action="/dashboard/destinations/{{id}}/delete" data-confirm="Delete this destination? Only a destination without deliveries can be deleted.">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><div class="actions"><button type="submit" class="danger">Delete destination</button>
        <span class="muted">Destinations with deliveries can only be disabled, so their history stays.</span></div></form>{{/isNew}}
        {{/body}}{{/dash_layout}}
        """

    /// After "Send test lead".
    static let configTestLead = """
        {{<dash_layout}}{{$title}}Test lead sent{{/title}}{{$body}}
        <h1>Test lead #{{leadId}} queued for “{{destination}}”</h1>
        <div class="panel">
        <p>A made-up lead (<span class="mono">{{email}}</span>) was stored through the normal write path in the source “Dashboard test leads”,
        which delivers to this destination only, and its delivery was queued.</p>
        <p>The worker makes the real attempt exactly as for any lead{{#dryRun}} — this destination is in <strong>dry-run</strong> mode, so the request is only built and logged{{/dryRun}}.
        Its outcome — status, HTTP status, error and the start of the CRM's response — appears on the lead's timeline within seconds.
        A retryable failure is retried on the destination's schedule (up to {{maxAttempts}} attempts), like any lead.</p>
        <div class="actions"><a class="button" href="/dashboard/leads/{{leadId}}">Open the lead's timeline</a> <a href="/dashboard/destinations/{{destinationId}}">Back to the destination</a></div>
        </div>
        {{/body}}{{/dash_layout}}
        """
}
