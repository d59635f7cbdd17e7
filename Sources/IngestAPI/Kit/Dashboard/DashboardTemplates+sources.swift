extension DashboardTemplates {
    /// The sources list.
    static let configSources = """
        {{<dash_layout}}{{$title}}Sources{{/title}}{{$body}}
        <h1>Sources</h1>
        <div class="actions"><a class="button" href="/dashboard/sources/new">New source</a></div>
        <div class="panel scroll"><table>
        <thead><tr><th>Name</th>{{#showTenant}}<th>Tenant</th>{{/showTenant}}<th>Kind</th><th>Public URL</th><th class="hide-small">Destinations</th><th>Status</th><th></th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="/dashboard/sources/{{id}}">{{name}}</a>{{#testSource}} <span class="muted">(test leads)</span>{{/testSource}}</td>{{#showTenant}}<td>{{tenant}}</td>{{/showTenant}}
        <td>{{kind}}</td><td class="mono">{{publicURL}}</td><td class="hide-small">{{destinations}}</td>
        <td>{{#enabled}}<span class="badge succeeded">enabled</span>{{/enabled}}{{^enabled}}<span class="badge dead">disabled</span>{{/enabled}}</td>
        <td><form method="post" action="/dashboard/sources/{{id}}/{{#enabled}}disable{{/enabled}}{{^enabled}}enable{{/enabled}}">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="secondary">{{#enabled}}Disable{{/enabled}}{{^enabled}}Enable{{/enabled}}</button></form></td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="7" class="muted">No sources yet.</td></tr>{{/rows}}
        </tbody></table></div>
        {{/body}}{{/dash_layout}}
        """

    /// Create or edit one source. Secrets are write-only: the page says whether each is set, never what it is.
    static let configSourceForm = """
        {{<dash_layout}}{{$title}}{{#isNew}}New source{{/isNew}}{{^isNew}}Source {{name}}{{/isNew}}{{/title}}{{$body}}
        <h1>{{#isNew}}New source{{/isNew}}{{^isNew}}Source “{{name}}”{{/isNew}}</h1>
        {{^isNew}}{{#publicURL}}<div class="panel"><strong>Public URL</strong> <span class="mono">{{publicURL}}</span>
        <p class="muted">Anyone with this URL can send leads to this source; keep it for your website or the provider's webhook settings.</p></div>{{/publicURL}}{{/isNew}}
        <form method="post" action="{{action}}" class="panel" autocomplete="off">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        {{#isNew}}{{#pickTenant}}<p><label>Tenant<br><select name="tenant" required>{{#tenants}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tenants}}</select></label>
        {{#errors.tenant}}<br><span class="alert">{{.}}</span>{{/errors.tenant}}</p>{{/pickTenant}}{{/isNew}}
        {{^isNew}}<p class="muted">Tenant: {{tenantName}} · Kind: {{kindLabel}}</p>{{/isNew}}
        <p><label>Name<br><input name="name" value="{{name}}" required maxlength="200" size="40"></label>
        {{#errors.name}}<br><span class="alert">{{.}}</span>{{/errors.name}}</p>
        {{#isNew}}<p><label>Kind<br><select name="kind">{{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></label>
        {{#errors.kind}}<br><span class="alert">{{.}}</span>{{/errors.kind}}
        <label>Webhook preset<br><select name="preset">{{#presets}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/presets}}</select></label>
        {{#errors.preset}}<br><span class="alert">{{.}}</span>{{/errors.preset}}</p>{{/isNew}}
        <fieldset><legend>Deliver its leads to</legend>
        {{#destinations}}<label><input type="checkbox" name="destinations" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label><br>{{/destinations}}
        {{^destinations}}<span class="muted">No destinations yet: <a href="/dashboard/destinations/new">create one</a>.</span>{{/destinations}}
        {{#errors.destinations}}<span class="alert">{{.}}</span>{{/errors.destinations}}</fieldset>
        <p><label>Config (JSON: form fields, labels, thank-you URL, Graph/monday API base URL…)<br><textarea name="config" rows="6">{{config}}</textarea></label>
        {{#errors.config}}<span class="alert">{{.}}</span>{{/errors.config}}</p>
        <p><label>Field map (JSON, e.g. {"Which location?": "extra.location"})<br><textarea name="field_map" rows="3">{{fieldMap}}</textarea></label>
        {{#errors.fieldMap}}<span class="alert">{{.}}</span>{{/errors.fieldMap}}</p>
        {{#webhook}}<fieldset><legend>Webhook secrets (write-only)</legend>
        <p class="muted">Paste a value to set or replace it. Stored sealed; never shown again. Leave empty to keep the current value.</p>
        {{#secrets}}<p><label>{{label}} {{#isSet}}<span class="badge succeeded">set</span>{{/isSet}}{{^isSet}}<span class="badge">not set</span>{{/isSet}}<br>
        <input type="password" name="secret_{{name}}" value="" autocomplete="new-password" size="40"></label>
        {{#isSet}}<label><input type="checkbox" name="clear_secret" value="{{name}}"> clear</label>{{/isSet}}</p>{{/secrets}}
        {{#errors.secrets}}<span class="alert">{{.}}</span>{{/errors.secrets}}</fieldset>{{/webhook}}
        {{^isNew}}<p><label><input type="checkbox" name="enabled" value="on"{{#enabled}} checked{{/enabled}}> Enabled (a disabled source refuses new leads)</label></p>{{/isNew}}
        {{#isNew}}<input type="hidden" name="enabled" value="on">{{/isNew}}
        <div class="actions"><button type="submit">{{#isNew}}Create source{{/isNew}}{{^isNew}}Save{{/isNew}}</button> <a href="/dashboard/sources">Cancel</a></div>
        </form>
        {{^isNew}}<form method="post" action="/dashboard/sources/{{id}}/delete" data-confirm="Delete this source? Only a source that never received anything can be deleted.">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><div class="actions"><button type="submit" class="danger">Delete source</button>
        <span class="muted">Sources that received leads can only be disabled, so their history stays.</span></div></form>{{/isNew}}
        {{/body}}{{/dash_layout}}
        """
}
