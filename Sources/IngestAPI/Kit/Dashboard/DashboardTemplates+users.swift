extension DashboardTemplates {
    /// Users the signed-in user may manage.
    static let configUsers = """
        {{<dash_layout}}{{$title}}Users{{/title}}{{$body}}
        <h1>Users</h1>
        <div class="actions"><a class="button" href="/dashboard/users/new">New user</a></div>
        <div class="panel scroll"><table>
        <thead><tr><th>Email</th><th>Role</th>{{#showTenant}}<th>Tenant</th>{{/showTenant}}<th class="hide-small">Last sign-in</th><th>Status</th><th></th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="/dashboard/users/{{id}}">{{email}}</a>{{#isSelf}} <span class="muted">(you)</span>{{/isSelf}}</td><td>{{role}}</td>{{#showTenant}}<td>{{tenant}}</td>{{/showTenant}}
        <td class="hide-small">{{lastLoginAt}}</td>
        <td>{{#enabled}}<span class="badge succeeded">enabled</span>{{/enabled}}{{^enabled}}<span class="badge dead">disabled</span>{{/enabled}}</td>
        <td>{{^isSelf}}<form method="post" action="/dashboard/users/{{id}}/{{#enabled}}disable{{/enabled}}{{^enabled}}enable{{/enabled}}">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="secondary">{{#enabled}}Disable{{/enabled}}{{^enabled}}Enable{{/enabled}}</button></form>{{/isSelf}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="6" class="muted">No users.</td></tr>{{/rows}}
        </tbody></table></div>
        {{/body}}{{/dash_layout}}
        """

    /// A new user, or one user's status, password and deletion.
    static let configUserForm = """
        {{<dash_layout}}{{$title}}{{#isNew}}New user{{/isNew}}{{^isNew}}User {{email}}{{/isNew}}{{/title}}{{$body}}
        <h1>{{#isNew}}New user{{/isNew}}{{^isNew}}User {{email}}{{/isNew}}</h1>
        {{#isNew}}<form method="post" action="/dashboard/users" class="panel" autocomplete="off">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <p><label>Email<br><input name="email" type="email" value="{{email}}" required size="40"></label>{{#errors.email}}<br><span class="alert">{{.}}</span>{{/errors.email}}</p>
        {{#pickRole}}<p><label>Role<br><select name="role">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select></label>
        {{#errors.role}}<br><span class="alert">{{.}}</span>{{/errors.role}}</p>{{/pickRole}}
        {{#pickTenant}}<p><label>Tenant (for members)<br><select name="tenant">{{#tenants}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tenants}}</select></label>
        {{#errors.tenant}}<br><span class="alert">{{.}}</span>{{/errors.tenant}}</p>{{/pickTenant}}
        {{^pickTenant}}<p class="muted">A member of {{tenantName}}.</p>{{/pickTenant}}
        <p><label>Password (at least {{minimumLength}} characters)<br><input name="password" type="password" value="" autocomplete="new-password" required size="40"></label>
        {{#errors.password}}<br><span class="alert">{{.}}</span>{{/errors.password}}</p>
        <div class="actions"><button type="submit">Create user</button> <a href="/dashboard/users">Cancel</a></div>
        </form>{{/isNew}}
        {{^isNew}}<div class="panel"><dl class="fields"><dt>Role</dt><dd>{{roleLabel}}</dd>{{#tenantName}}<dt>Tenant</dt><dd>{{tenantName}}</dd>{{/tenantName}}
        <dt>Status</dt><dd>{{#enabled}}<span class="badge succeeded">enabled</span>{{/enabled}}{{^enabled}}<span class="badge dead">disabled</span>{{/enabled}}</dd>
        <dt>Last sign-in</dt><dd>{{lastLoginAt}}</dd></dl>
        {{^isSelf}}<form method="post" action="/dashboard/users/{{id}}/{{#enabled}}disable{{/enabled}}{{^enabled}}enable{{/enabled}}"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <div class="actions"><button type="submit" class="secondary">{{#enabled}}Disable and sign out{{/enabled}}{{^enabled}}Enable{{/enabled}}</button></div></form>{{/isSelf}}</div>
        <h2>{{#isSelf}}Change your password{{/isSelf}}{{^isSelf}}Reset password{{/isSelf}}</h2>
        <form method="post" action="/dashboard/users/{{id}}/password" class="panel" autocomplete="off">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <p><label>New password (at least {{minimumLength}} characters)<br><input name="password" type="password" value="" autocomplete="new-password" required size="40"></label>
        {{#errors.password}}<br><span class="alert">{{.}}</span>{{/errors.password}}</p>
        <div class="actions"><button type="submit">Set password</button> <span class="muted">Every session of this user is signed out{{#isSelf}}, including this one{{/isSelf}}.</span></div>
        </form>
        {{^isSelf}}<form method="post" action="/dashboard/users/{{id}}/delete" data-confirm="Delete {{email}}? Their audit entries stay.">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><div class="actions"><button type="submit" class="danger">Delete user</button></div></form>{{/isSelf}}{{/isNew}}
        {{/body}}{{/dash_layout}}
        """
}
