extension DashboardTemplates {
    /// API keys: the list (prefixes only), revoke, and the create form.
    static let configAPIKeys = """
        {{<dash_layout}}{{$title}}API keys{{/title}}{{$body}}
        <h1>API keys</h1>
        <div class="panel scroll"><table>
        <thead><tr><th>Key</th><th>Name</th>{{#showTenant}}<th>Tenant</th>{{/showTenant}}<th class="num">Requests / min</th><th class="hide-small">Last used</th><th class="hide-small">Created</th><th>Status</th><th></th></tr></thead>
        <tbody>
        {{#rows}}<tr><td class="mono">{{prefix}}…</td><td>{{name}}</td>{{#showTenant}}<td>{{tenant}}</td>{{/showTenant}}<td class="num">{{requestsPerMinute}}</td>
        <td class="hide-small">{{lastUsedAt}}</td><td class="hide-small">{{createdAt}}</td>
        <td>{{#revoked}}<span class="badge dead">revoked</span> <span class="muted">{{revokedAt}}</span>{{/revoked}}{{^revoked}}<span class="badge succeeded">active</span>{{/revoked}}</td>
        <td>{{^revoked}}<form method="post" action="/dashboard/api-keys/{{id}}/revoke" data-confirm="Revoke {{prefix}}…? Requests with it fail at once.">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="danger">Revoke</button></form>{{/revoked}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="8" class="muted">No API keys yet.</td></tr>{{/rows}}
        </tbody></table></div>
        <h2>New key</h2>
        <form method="post" action="/dashboard/api-keys" class="panel filters" autocomplete="off">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        {{#pickTenant}}<label>Tenant<select name="tenant" required>{{#tenants}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tenants}}</select>
        {{#errors.tenant}}<span class="alert">{{.}}</span>{{/errors.tenant}}</label>{{/pickTenant}}
        <label>What it is for<input name="name" value="{{name}}" required maxlength="200" placeholder="website, Zapier…">{{#errors.name}}<span class="alert">{{.}}</span>{{/errors.name}}</label>
        <label>Requests per minute<input name="requests_per_minute" value="{{requestsPerMinute}}" inputmode="numeric" size="8">
        {{#errors.requestsPerMinute}}<span class="alert">{{.}}</span>{{/errors.requestsPerMinute}}</label>
        <button type="submit">Create key</button>
        </form>
        {{/body}}{{/dash_layout}}
        """

    /// The one time a new key is shown in full.
    static let configAPIKeyCreated = """
        {{<dash_layout}}{{$title}}API key created{{/title}}{{$body}}
        <h1>API key “{{name}}” created{{#tenant}} for {{tenant}}{{/tenant}}</h1>
        <div class="alert" role="alert"><strong>Copy this key now.</strong> It is shown only once: LeadRelay stores only its hash and cannot show it again.
        If it is lost, create a new key and revoke this one.</div>
        <div class="panel"><p class="mono" id="new-api-key">{{key}}</p>
        <p class="muted">Send it as <span class="mono">Authorization: Bearer &lt;key&gt;</span>. In lists it appears as <span class="mono">{{prefix}}…</span>.</p></div>
        <div class="actions"><a class="button" href="/dashboard/api-keys">I have stored the key</a></div>
        {{/body}}{{/dash_layout}}
        """
}
