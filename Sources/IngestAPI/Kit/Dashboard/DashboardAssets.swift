/// The dashboard's stylesheet and script, served from `/assets/` (no CDN, no build step).
enum DashboardAssets {
    /// Mobile-first styles: the navigation wraps, wide tables scroll sideways.
    static let stylesheet = """
        :root { color-scheme: light; --accent: #1f6feb; --danger: #c62828; --ok: #1b5e20; --warn: #8a5a00; --muted: #5f6b7a; --line: #e3e8ee; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f5f7fa; color: #1c2430; }
        a { color: var(--accent); }
        header.top { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; background: #fff; border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; color: #1c2430; text-decoration: none; margin-right: .5rem; }
        header nav { display: flex; flex-wrap: wrap; gap: .25rem .75rem; flex: 1; }
        header nav a { text-decoration: none; color: var(--muted); padding: .2rem 0; }
        header nav a[aria-current] { color: #1c2430; font-weight: 600; border-bottom: 2px solid var(--accent); }
        .who { display: flex; gap: .5rem; align-items: center; font-size: .9rem; color: var(--muted); margin: 0; }
        main { max-width: 80rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
        h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: .75rem; }
        .card { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.08); padding: 1rem; }
        .card .n { font-size: 1.6rem; font-weight: 700; display: block; }
        .card .l { color: var(--muted); font-size: .85rem; }
        .panel { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.08); padding: 1rem; margin-top: 1rem; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; white-space: nowrap; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; word-break: break-all; }
        pre { background: #f6f8fa; padding: .75rem; border-radius: 8px; overflow-x: auto; font-size: .8rem; white-space: pre-wrap; word-break: break-all; }
        .badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .8rem; font-weight: 600; background: #eef1f5; color: #1c2430; }
        .badge.succeeded { background: #e8f5e9; color: var(--ok); }
        .badge.dead, .badge.permanent { background: #fdecea; color: var(--danger); }
        .badge.retrying, .badge.retryable { background: #fff4e5; color: var(--warn); }
        .badge.queued, .badge.pending, .badge.processing { background: #e7f0ff; color: #0b4fb3; }
        .muted { color: var(--muted); }
        .alert { background: #fdecea; color: var(--danger); border-radius: 8px; padding: .6rem .9rem; margin-bottom: 1rem; }
        .notice { background: #e8f5e9; color: var(--ok); border-radius: 8px; padding: .6rem .9rem; margin-bottom: 1rem; }
        form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
        form.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
        input, select, textarea { font: inherit; padding: .45rem .55rem; border: 1px solid #c9d1db; border-radius: 6px; background: #fff; max-width: 100%; }
        textarea { width: 100%; min-height: 8rem; font-family: ui-monospace, monospace; font-size: .85rem; }
        button, .button { font: inherit; font-weight: 600; padding: .45rem .9rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary { background: #eef1f5; color: #1c2430; }
        button.danger { background: var(--danger); }
        button.link { background: none; color: var(--accent); padding: 0; font-weight: 400; }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .75rem 0; align-items: center; }
        .legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .85rem; margin-top: .5rem; }
        .legend .swatch { vertical-align: -1px; }
        a.card.plain { text-decoration: none; color: inherit; }
        svg.chart { width: 100%; height: auto; }
        svg.chart .grid { stroke: var(--line); }
        svg.chart .axis { fill: var(--muted); font-size: 11px; }
        .login { max-width: 24rem; margin: 10vh auto; }
        .login label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
        .login input { width: 100%; padding: .65rem; }
        .login button { width: 100%; margin-top: 1.25rem; padding: .75rem; }
        dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
        dl.fields dt { color: var(--muted); }
        dl.fields dd { margin: 0; word-break: break-word; }
        .pager { display: flex; gap: 1rem; margin-top: .75rem; }
        @media (max-width: 40rem) { th, td { padding: .35rem .3rem; } .hide-small { display: none; } }
        """

    /// Progressive enhancement only: confirmations, "select all", and the CSV upload with progress.
    static let script = """
        (function () {
          'use strict';
          document.addEventListener('submit', function (event) {
            var form = event.target, message = form.getAttribute('data-confirm');
            if (message && !window.confirm(message)) event.preventDefault();
          });
          document.querySelectorAll('input[data-select-all]').forEach(function (box) {
            box.addEventListener('change', function () {
              document.querySelectorAll('input[name="' + box.getAttribute('data-select-all') + '"]').forEach(function (item) { item.checked = box.checked; });
            });
          });
          var upload = document.getElementById('dashboard-upload');
          if (upload) {
            upload.addEventListener('submit', function (event) {
              event.preventDefault();
              var file = upload.querySelector('input[type=file]').files[0], source = upload.querySelector('select[name=source]').value;
              var status = document.getElementById('upload-status'), button = upload.querySelector('button');
              if (!file || !source) { status.textContent = 'Choose a source and a file.'; return; }
              var request = new XMLHttpRequest();
              request.open('POST', '/dashboard/imports?source=' + encodeURIComponent(source) + '&filename=' + encodeURIComponent(file.name));
              request.setRequestHeader('Content-Type', 'text/csv');
              request.setRequestHeader('X-CSRF-Token', upload.querySelector('input[name=_csrf]').value);
              request.upload.onprogress = function (e) { if (e.lengthComputable) status.textContent = 'Uploading… ' + Math.round(100 * e.loaded / e.total) + '%'; };
              request.onload = function () {
                var body = {};
                try { body = JSON.parse(request.responseText); } catch (e) {}
                if (request.status >= 200 && request.status < 300 && body.id) { window.location = '/dashboard/imports/' + body.id; return; }
                button.disabled = false;
                status.textContent = (body.error && body.error.message) || ('Upload failed (HTTP ' + request.status + ')');
              };
              request.onerror = function () { button.disabled = false; status.textContent = 'Upload failed: the connection was lost.'; };
              button.disabled = true;
              status.textContent = 'Uploading…';
              request.send(file);
            });
          }
        })();
        """
}
