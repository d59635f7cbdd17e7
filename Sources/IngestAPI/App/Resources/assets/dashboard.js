// Progressive enhancement only: confirmations, "select all", and the CSV upload with progress.
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
