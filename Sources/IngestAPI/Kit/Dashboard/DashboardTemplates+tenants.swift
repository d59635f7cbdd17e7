extension DashboardTemplates {
    /// Tenants (operators only).
    static let configTenants = """
        {{<dash_layout}}{{$title}}Tenants{{/title}}{{$body}}
        <h1>Tenants</h1>
        <div class="actions"><a class="button" href="/dashboard/tenants/new">New tenant</a></div>
        <div class="panel scroll"><table>
        <thead><tr><th>Name</th><th>Slug</th><th>Region</th><th class="hide-small">Time zone</th><th class="hide-small">Notifications</th><th>Status</th><th></th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="/dashboard/tenants/{{id}}">{{name}}</a></td><td class="mono">{{slug}}</td><td>{{region}}</td><td class="hide-small">{{timezone}}</td>
        <td class="hide-small">{{email}}</td>
        <td>{{#enabled}}<span class="badge succeeded">enabled</span>{{/enabled}}{{^enabled}}<span class="badge dead">disabled</span>{{/enabled}}</td>
        <td><form method="post" action="/dashboard/tenants/{{id}}/{{#enabled}}disable{{/enabled}}{{^enabled}}enable{{/enabled}}"{{#enabled}} data-confirm="Disable {{name}}?"{{/enabled}}>
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="secondary">{{#enabled}}Disable{{/enabled}}{{^enabled}}Enable{{/enabled}}</button></form></td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="7" class="muted">No tenants yet.</td></tr>{{/rows}}
        </tbody></table></div>
        {{/body}}{{/dash_layout}}
        """

    /// Create or edit a tenant.
    static let configTenantForm = """
        {{<dash_layout}}{{$title}}{{#isNew}}New tenant{{/isNew}}{{^isNew}}Tenant {{name}}{{/isNew}}{{/title}}{{$body}}
        <h1>{{#isNew}}New tenant{{/isNew}}{{^isNew}}Tenant “{{name}}”{{/isNew}}</h1>
        <form method="post" action="{{action}}" class="panel">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <p><label>Name<br><input name="name" value="{{name}}" required maxlength="200" size="40"></label>{{#errors.name}}<br><span class="alert">{{.}}</span>{{/errors.name}}</p>
        {{#isNew}}<p><label>Slug (optional; from the name when empty)<br><input name="slug" value="{{slug}}" maxlength="63" size="30"></label>
        {{#errors.slug}}<br><span class="alert">{{.}}</span>{{/errors.slug}}</p>{{/isNew}}
        {{^isNew}}<p class="muted">Slug: <span class="mono">{{slug}}</span></p>{{/isNew}}
        <p><label>Default phone region (ISO 3166)<br><input name="region" value="{{region}}" required maxlength="2" size="4"></label>
        {{#errors.region}}<br><span class="alert">{{.}}</span>{{/errors.region}}</p>
        <p><label>Time zone<br><input name="timezone" value="{{timezone}}" required size="30" placeholder="America/Chicago"></label>
        {{#errors.timezone}}<br><span class="alert">{{.}}</span>{{/errors.timezone}}</p>
        <p><label>Notification email (digests)<br><input name="notification_email" type="email" value="{{email}}" size="40"></label>
        {{#errors.email}}<br><span class="alert">{{.}}</span>{{/errors.email}}</p>
        {{^isNew}}<p><label><input type="checkbox" name="enabled" value="on"{{#enabled}} checked{{/enabled}}> Enabled</label></p>{{/isNew}}
        <div class="actions"><button type="submit">{{#isNew}}Create tenant{{/isNew}}{{^isNew}}Save{{/isNew}}</button> <a href="/dashboard/tenants">Cancel</a></div>
        </form>
        {{/body}}{{/dash_layout}}
        """
}
