extension DashboardTemplates {
    /// Deliveries with filters, dead-letter and retrying views, and retries.
    static let deliveries = """
        {{<dash_layout}}{{$title}}Deliveries{{/title}}{{$body}}
        <h1>Deliveries</h1>
        <form class="filters" method="get" action="/dashboard/deliveries">
        <label>Status<select name="status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></label>
        <label>Destination<select name="destination">{{#destinations}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/destinations}}</select></label>
        <label>Source<select name="source">{{#sources}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sources}}</select></label>
        <label>Updated<select name="since">{{#sinces}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sinces}}</select></label>
        <button type="submit" class="secondary">Filter</button>
        <a href="/dashboard/deliveries?status=dead">Dead letters</a> <a href="/dashboard/deliveries?status=retrying">Retrying</a>
        </form>
        <form method="post" action="/dashboard/deliveries/retry" id="retry-selected">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <input type="hidden" name="back" value="/dashboard/deliveries?{{filterQuery}}">
        {{#anyRetryable}}<div class="actions">
        <button type="submit">Retry selected</button>
        <a class="button secondary" href="/dashboard/deliveries/retry?{{filterQuery}}">Retry all matching…</a>
        </div>{{/anyRetryable}}
        <div class="panel scroll"><table>
        <thead><tr><th>{{#anyRetryable}}<input type="checkbox" data-select-all="ids" aria-label="Select all">{{/anyRetryable}}</th><th>Delivery</th><th>Lead</th><th>Destination</th><th class="hide-small">Source</th><th>Status</th><th class="num">Attempts</th><th>HTTP</th><th>Reason</th><th>Updated</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td>{{#retryable}}<input type="checkbox" name="ids" value="{{id}}" aria-label="Select delivery {{id}}">{{/retryable}}</td>
        <td>{{id}}</td><td><a href="/dashboard/leads/{{leadId}}">#{{leadId}}</a></td><td>{{destination}}</td><td class="hide-small">{{source}}</td>
        <td><span class="badge {{status}}">{{status}}</span>{{#nextAttemptAt}}<br><span class="muted">next {{nextAttemptAt}}</span>{{/nextAttemptAt}}</td>
        <td class="num">{{attempts}}</td><td>{{http}}</td><td>{{error}}</td><td>{{updatedAt}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="10" class="muted">No deliveries match.</td></tr>{{/rows}}
        </tbody></table></div>
        </form>
        {{#full}}<p class="muted">Showing the {{limit}} most recently updated; narrow the filter to see others.</p>{{/full}}
        {{/body}}{{/dash_layout}}
        """

    /// The confirmation of "retry all matching".
    static let retryConfirm = """
        {{<dash_layout}}{{$title}}Retry deliveries{{/title}}{{$body}}
        <h1>Retry {{count}} deliveries?</h1>
        <p>{{count}} {{description}} will be queued again with a fresh attempt budget. Earlier attempts stay in each lead's history.</p>
        <form method="post" action="/dashboard/deliveries/retry">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        {{#hidden}}<input type="hidden" name="{{label}}" value="{{value}}">{{/hidden}}
        <div class="actions"><button type="submit"{{^count}} disabled{{/count}}>Retry {{count}} deliveries</button> <a href="/dashboard/deliveries">Cancel</a></div>
        </form>
        {{/body}}{{/dash_layout}}
        """
}
