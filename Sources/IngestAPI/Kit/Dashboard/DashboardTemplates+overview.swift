extension DashboardTemplates {
    /// The overview: counts, the leads chart, destination health, the latest errors.
    static let overview = """
        {{<dash_layout}}{{$title}}Overview{{/title}}{{$body}}
        <h1>Overview</h1>
        <div class="cards">
        {{#cards}}<a class="card plain" href="{{href}}{{^href}}#{{/href}}"><span class="n">{{value}}</span><span class="l">{{label}}</span></a>{{/cards}}
        </div>
        {{#hasSystem}}<h2>Queue and workers</h2><div class="cards">{{#system}}<div class="card"><span class="n">{{value}}</span><span class="l">{{label}}</span></div>{{/system}}</div>{{/hasSystem}}
        <div class="panel">
        <div class="actions"><strong>Leads per source per day</strong>
        {{#ranges}}{{#current}}<span class="badge">{{days}} days</span>{{/current}}{{^current}}<a href="/dashboard?days={{days}}">{{days}} days</a>{{/current}}{{/ranges}}
        </div>
        {{#hasLeads}}{{{chartSVG}}}{{/hasLeads}}
        <div class="legend">{{#legend}}<span><svg class="swatch" viewBox="0 0 10 10" width="12" height="12" aria-hidden="true"><rect width="10" height="10" rx="2" fill="{{color}}"/></svg> {{name}} ({{total}})</span>{{/legend}}{{^legend}}<span class="muted">No leads in the last {{days}} days.</span>{{/legend}}</div>
        </div>
        <h2>Destinations, last 7 days</h2>
        <div class="panel scroll"><table>
        <thead><tr><th>Destination</th><th>Kind</th><th class="num">Delivered</th><th class="num">Dead</th><th class="num">Retrying</th><th class="num">In flight</th><th class="num">Success rate</th></tr></thead>
        <tbody>
        {{#destinations}}<tr><td><a href="/dashboard/deliveries?destination={{id}}">{{name}}</a>{{#dryRun}} <span class="badge">dry run</span>{{/dryRun}}{{^enabled}} <span class="badge dead">disabled</span>{{/enabled}}</td>
        <td>{{kind}}</td><td class="num">{{succeeded}}</td><td class="num">{{dead}}</td><td class="num">{{retrying}}</td><td class="num">{{open}}</td><td class="num">{{successRate}}</td></tr>{{/destinations}}
        {{^destinations}}<tr><td colspan="7" class="muted">No destinations yet.</td></tr>{{/destinations}}
        </tbody></table></div>
        <h2>Latest errors</h2>
        <div class="panel scroll"><table>
        <thead><tr><th>When</th><th>Destination</th><th>Lead</th><th>Status</th><th>Error</th></tr></thead>
        <tbody>
        {{#errors}}<tr><td>{{at}}</td><td>{{destination}}</td><td><a href="/dashboard/leads/{{leadId}}">#{{leadId}}</a></td><td>{{status}}</td><td>{{message}}</td></tr>{{/errors}}
        {{^errors}}<tr><td colspan="5" class="muted">No failed attempts in the last 7 days.</td></tr>{{/errors}}
        </tbody></table></div>
        {{/body}}{{/dash_layout}}
        """
}
