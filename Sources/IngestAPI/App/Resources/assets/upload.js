// The upload page's script: streams the file with upload progress, polls the import's counters while it runs,
// then shows the result and the error report link.
(function () {
  'use strict';
  var form = document.getElementById('upload'), keyInput = document.getElementById('api-key');
  var sourceSelect = document.getElementById('source'), fileInput = document.getElementById('file');
  var button = document.getElementById('start'), statusBox = document.getElementById('status');
  keyInput.value = sessionStorage.getItem('leadrelay.apiKey') || '';
  function headers() { return { 'Authorization': 'Bearer ' + keyInput.value.trim() }; }
  function text(tag, content, cls) { var el = document.createElement(tag); el.textContent = content; if (cls) el.className = cls; return el; }
  function show() { statusBox.replaceChildren.apply(statusBox, arguments); }
  function loadSources() {
    var key = keyInput.value.trim();
    if (!key) return;
    sessionStorage.setItem('leadrelay.apiKey', key);
    fetch('/api/sources', { headers: headers() }).then(function (r) {
      if (!r.ok) throw new Error(r.status === 401 ? 'This API key is not valid.' : 'Could not load sources (HTTP ' + r.status + ').');
      return r.json();
    }).then(function (body) {
      var usable = body.sources.filter(function (s) { return s.enabled && (s.kind === 'csv' || s.kind === 'api'); });
      sourceSelect.replaceChildren();
      usable.forEach(function (s) { var o = text('option', s.name + ' (' + s.kind + ')'); o.value = s.id; sourceSelect.appendChild(o); });
      if (!usable.length) sourceSelect.appendChild(text('option', 'No CSV or API source: create one with leadctl source create --kind csv'));
    }).catch(function (e) { show(text('div', e.message, 'alert')); });
  }
  keyInput.addEventListener('change', loadSources);
  loadSources();
  function resultView(imp) {
    var box = document.createElement('div');
    var ok = imp.status === 'completed';
    box.appendChild(text('div', ok ? 'Import finished.' : 'Import failed: ' + (imp.failure_reason || imp.status), ok ? 'ok' : 'alert'));
    var table = document.createElement('table');
    [['Rows read', imp.rows_total], ['New leads', imp.accepted], ['Duplicates', imp.duplicates], ['Rejected', imp.rejected],
     ['Encoding', imp.encoding || '—'], ['Delimiter', imp.delimiter || '—']].forEach(function (pair) {
      var tr = document.createElement('tr'); tr.appendChild(text('th', pair[0])); tr.appendChild(text('td', String(pair[1]))); table.appendChild(tr);
    });
    box.appendChild(table);
    (imp.warnings || []).forEach(function (w) { box.appendChild(text('p', w, 'muted')); });
    if (imp.errors && imp.errors.length) {
      box.appendChild(text('h2', 'First rejected rows'));
      var errors = document.createElement('table');
      var head = document.createElement('tr'); ['Row', 'Line', 'Reason'].forEach(function (h) { head.appendChild(text('th', h)); }); errors.appendChild(head);
      imp.errors.forEach(function (e) {
        var tr = document.createElement('tr');
        tr.appendChild(text('td', String(e.row))); tr.appendChild(text('td', e.line ? String(e.line) : '')); tr.appendChild(text('td', e.reason));
        errors.appendChild(tr);
      });
      box.appendChild(errors);
      var link = text('button', 'Download the error report (CSV)'); link.type = 'button';
      link.addEventListener('click', function () {
        fetch('/api/imports/' + imp.id + '/errors.csv', { headers: headers() }).then(function (r) { return r.blob(); }).then(function (blob) {
          var a = document.createElement('a'); a.href = URL.createObjectURL(blob); a.download = 'import-' + imp.id + '-errors.csv';
          document.body.appendChild(a); a.click(); a.remove();
        });
      });
      box.appendChild(link);
    }
    return box;
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = fileInput.files[0];
    if (!keyInput.value.trim() || !sourceSelect.value || !file) { show(text('div', 'Enter the API key, pick a source and choose a file.', 'alert')); return; }
    button.disabled = true;
    var bar = document.createElement('progress'); bar.max = file.size; bar.value = 0;
    var line = text('p', 'Uploading ' + file.name + '…', 'muted');
    show(bar, line);
    var started = Date.now(), poll = null;
    function pollProgress() {
      fetch('/api/imports', { headers: headers() }).then(function (r) { return r.json(); }).then(function (body) {
        var current = (body.imports || []).filter(function (i) { return i.status === 'receiving' && i.source_id === sourceSelect.value && Date.parse(i.created_at) >= started - 5000; })[0];
        if (current) line.textContent = current.rows_total.toLocaleString() + ' rows imported so far (' + current.accepted.toLocaleString() + ' new, ' + current.rejected.toLocaleString() + ' rejected)…';
      }).catch(function () {});
    }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports?source=' + encodeURIComponent(sourceSelect.value) + '&filename=' + encodeURIComponent(file.name));
    xhr.setRequestHeader('Authorization', headers().Authorization);
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = e.loaded; };
    xhr.onload = function () {
      clearInterval(poll); button.disabled = false;
      var body = null; try { body = JSON.parse(xhr.responseText); } catch (e) {}
      if (body && (body.import || body.id)) { show(resultView(body.import || body)); return; }
      show(text('div', (body && body.error && body.error.message) || ('Upload failed (HTTP ' + xhr.status + ').'), 'alert'));
    };
    xhr.onerror = function () { clearInterval(poll); button.disabled = false; show(text('div', 'The upload was interrupted. Rows received before that were imported; check the import list.', 'alert')); };
    poll = setInterval(pollProgress, 1000);
    xhr.send(file);
  });
})();
