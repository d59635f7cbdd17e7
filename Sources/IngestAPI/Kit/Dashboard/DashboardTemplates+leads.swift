extension DashboardTemplates {
    /// Lead search and the newest leads.
    static let leads = """
        {{<dash_layout}}{{$title}}Leads{{/title}}{{$body}}
        <h1>Leads</h1>
        <form class="filters" method="get" action="/dashboard/leads" role="search">
        <label>Search by email, phone, name, lead id or external id<input name="q" value="{{query}}" type="search" size="40" autofocus></label>
        <button type="submit">Search</button>
        </form>
        <h2>{{heading}}</h2>
        <div class="panel scroll"><table>
        <thead><tr><th>Lead</th><th>Name</th><th>Email</th><th>Phone</th><th class="hide-small">Source</th><th>Received</th><th>Deliveries</th></tr></thead>
        <tbody>
        {{#leads}}<tr><td><a href="/dashboard/leads/{{id}}">#{{id}}</a>{{#spam}} <span class="badge dead">spam</span>{{/spam}}</td><td>{{name}}</td><td>{{email}}</td><td>{{phone}}</td>
        <td class="hide-small">{{source}} <span class="muted">{{channel}}</span></td><td>{{receivedAt}}</td>
        <td>{{#statuses}}<span class="badge {{status}}">{{count}} {{status}}</span> {{/statuses}}</td></tr>{{/leads}}
        {{^leads}}<tr><td colspan="7" class="muted">No leads found.</td></tr>{{/leads}}
        </tbody></table></div>
        {{#olderHref}}<div class="pager"><a href="{{olderHref}}">Older leads →</a></div>{{/olderHref}}
        {{/body}}{{/dash_layout}}
        """

    /// One lead: fields, payload, and the timeline of every delivery and attempt.
    static let lead = """
        {{<dash_layout}}{{$title}}Lead #{{id}}{{/title}}{{$body}}
        <h1>{{title}} <span class="muted">#{{id}}</span></h1>
        <div class="panel"><dl class="fields">{{#fields}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/fields}}</dl></div>
        <h2>Deliveries</h2>
        {{#deliveries}}
        <div class="panel">
        <div class="actions"><strong>{{destination}}</strong> <span class="muted">{{kind}}</span> <span class="badge {{status}}">{{status}}</span>
        <span class="muted">{{attempts}} attempt(s)</span>{{#externalId}} <span class="muted">CRM id <span class="mono">{{externalId}}</span></span>{{/externalId}}
        {{#nextAttemptAt}}<span class="muted">next attempt {{nextAttemptAt}}</span>{{/nextAttemptAt}}
        {{#retryable}}<form method="post" action="/dashboard/deliveries/retry"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <input type="hidden" name="ids" value="{{id}}"><input type="hidden" name="back" value="/dashboard/leads/{{leadId}}">
        <button type="submit">Retry now</button></form>{{/retryable}}
        </div>
        {{#lastError}}<p class="alert">{{lastError}}</p>{{/lastError}}
        <div class="scroll"><table>
        <thead><tr><th>#</th><th>Started</th><th>Outcome</th><th>HTTP</th><th>Error</th><th class="num">ms</th><th class="hide-small">Response</th></tr></thead>
        <tbody>
        {{#attemptLog}}<tr><td>{{number}}</td><td>{{startedAt}}</td><td><span class="badge {{outcome}}">{{outcome}}</span></td><td>{{httpStatus}}</td>
        <td>{{errorClass}}{{#error}}: {{error}}{{/error}}</td><td class="num">{{duration}}</td><td class="hide-small mono">{{excerpt}}</td></tr>{{/attemptLog}}
        {{^attemptLog}}<tr><td colspan="7" class="muted">No attempt yet.</td></tr>{{/attemptLog}}
        </tbody></table></div>
        </div>
        {{/deliveries}}
        {{^deliveries}}<p class="muted">This lead has no deliveries (spam, a duplicate, or its source has no destinations).</p>{{/deliveries}}
        {{#extraJSON}}<h2>Other fields</h2><pre>{{extraJSON}}</pre>{{/extraJSON}}
        {{#rawJSON}}<h2>Payload as received</h2><pre>{{rawJSON}}</pre>{{/rawJSON}}
        {{/body}}{{/dash_layout}}
        """
}
