extension DashboardTemplates {
    /// The audit log.
    static let audit = """
        {{<dash_layout}}{{$title}}Audit log{{/title}}{{$body}}
        <h1>Audit log</h1>
        <form class="filters" method="get" action="/dashboard/audit">
        <label>Action starts with<input name="action" value="{{action}}" placeholder="auth. / deliveries. / destination."></label>
        <button type="submit" class="secondary">Filter</button>
        </form>
        <div class="panel scroll"><table>
        <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Details</th><th class="hide-small">From</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td>{{at}}</td><td>{{actor}}</td><td class="mono">{{action}}</td><td class="mono">{{target}}</td><td class="mono">{{details}}</td><td class="hide-small">{{ip}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="6" class="muted">Nothing recorded yet.</td></tr>{{/rows}}
        </tbody></table></div>
        {{#olderHref}}<div class="pager"><a href="{{olderHref}}">Older entries →</a></div>{{/olderHref}}
        {{/body}}{{/dash_layout}}
        """

    /// CSV imports: upload, list, and one import's result.
    static let imports = """
        {{<dash_layout}}{{$title}}Imports{{/title}}{{$body}}
        {{#current}}
        <h1>Import of {{filename}}</h1>
        <div class="cards">
        <div class="card"><span class="n"><span class="badge {{status}}">{{status}}</span></span><span class="l">Status</span></div>
        <div class="card"><span class="n">{{rows}}</span><span class="l">Rows read</span></div>
        <div class="card"><span class="n">{{accepted}}</span><span class="l">Accepted</span></div>
        <div class="card"><span class="n">{{duplicates}}</span><span class="l">Duplicates</span></div>
        <div class="card"><span class="n">{{rejected}}</span><span class="l">Rejected</span></div>
        </div>
        {{#running}}<p class="muted">Still importing: reload for progress.</p>{{/running}}
        {{#failureReason}}<p class="alert">{{failureReason}}</p>{{/failureReason}}
        {{#warnings}}<p class="muted">{{.}}</p>{{/warnings}}
        {{#hasFieldColumns}}<h2>Columns used</h2><div class="panel scroll"><table id="field-columns">
        <thead><tr><th>Field</th><th>Read from column</th></tr></thead>
        <tbody>{{#fieldColumns}}<tr><td class="mono">{{field}}</td><td>{{column}}</td></tr>{{/fieldColumns}}</tbody></table></div>{{/hasFieldColumns}}
        <div class="actions"><a href="/dashboard/imports">All imports</a>{{#rejected}}<a class="button secondary" href="/dashboard/imports/{{id}}/errors.csv">Download rejected rows (CSV)</a>{{/rejected}}</div>
        {{/current}}
        {{#current}}{{#rejected}}<h2>First rejected rows</h2>{{/rejected}}{{/current}}
        {{#errors}}<div class="panel"><strong>Row {{row}}</strong>{{#line}} (line {{line}}){{/line}}: {{reason}}</div>{{/errors}}
        {{^current}}
        <h1>Import leads from a CSV file</h1>
        <div class="panel">
        <form id="dashboard-upload" method="post" action="/dashboard/imports">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <div class="filters">
        <label>Source<select name="source" required><option value="">Choose…</option>{{#sources}}<option value="{{value}}">{{label}}</option>{{/sources}}</select></label>
        <label>File<input type="file" name="file" accept=".csv,.tsv,.txt,text/csv" required></label>
        <button type="submit">Upload and import</button>
        </div>
        <p id="upload-status" class="muted" aria-live="polite">Excel, Google Sheets and Meta exports work as they are. Every row needs an email or a phone.</p>
        </form>
        </div>
        {{/current}}
        <h2>Recent imports</h2>
        <div class="panel scroll"><table>
        <thead><tr><th>File</th><th>Source</th><th>Status</th><th class="num">Rows</th><th class="num">Accepted</th><th class="num">Duplicates</th><th class="num">Rejected</th><th>Started</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="/dashboard/imports/{{id}}">{{filename}}</a></td><td>{{source}}</td><td><span class="badge {{status}}">{{status}}</span></td>
        <td class="num">{{rows}}</td><td class="num">{{accepted}}</td><td class="num">{{duplicates}}</td><td class="num">{{rejected}}</td><td>{{createdAt}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="8" class="muted">No imports yet.</td></tr>{{/rows}}
        </tbody></table></div>
        {{/body}}{{/dash_layout}}
        """

    /// Inbound webhook events with replay.
    static let events = """
        {{<dash_layout}}{{$title}}Webhook events{{/title}}{{$body}}
        <h1>Webhook events</h1>
        <div class="panel scroll"><table>
        <thead><tr><th>Event</th><th>Received</th><th>Source</th><th>Outcome</th><th>Leads</th><th class="hide-small">Bytes</th><th></th></tr></thead>
        <tbody>
        {{#rows}}<tr><td>#{{id}}{{#replayOf}} <span class="muted">replay of {{replayOf}}</span>{{/replayOf}}</td><td>{{receivedAt}}</td><td>{{source}}</td>
        <td><span class="badge">{{outcome}}</span>{{#reason}}<br><span class="muted">{{reason}}</span>{{/reason}}</td>
        <td>{{#leads}}<a href="/dashboard/leads/{{.}}">#{{.}}</a> {{/leads}}</td><td class="hide-small num">{{size}}</td>
        <td>{{#replayable}}<form method="post" action="/dashboard/events/{{id}}/replay" data-confirm="Process event #{{id}} again with the source's current settings?">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="secondary">Replay</button></form>{{/replayable}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="7" class="muted">No webhook events yet.</td></tr>{{/rows}}
        </tbody></table></div>
        {{/body}}{{/dash_layout}}
        """
}
