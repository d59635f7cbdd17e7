// The sequence form's step list (progressive enhancement only): Add step clones the last row as a blank one
// with the next free `step-<n>-` number, Remove step takes a row out (the last one is cleared instead).
// Editing the JSON chooses "this JSON". Without this script the form still works: one blank row per round trip.
(function () {
  'use strict';
  var list = document.getElementById('sequence-steps');
  if (!list) return;
  function rows() { return list.querySelectorAll('fieldset[data-step]'); }
  function renumber() {
    rows().forEach(function (row, index) { row.querySelector('legend').textContent = 'Step ' + (index + 1); });
  }
  function clear(row) {
    row.querySelectorAll('.alert').forEach(function (alert) { alert.remove(); });
    row.querySelectorAll('input').forEach(function (input) {
      if (input.type === 'checkbox') input.checked = /-window_days$/.test(input.name);
      else input.value = '';
    });
    row.querySelectorAll('select').forEach(function (select) { select.selectedIndex = 0; });
    row.querySelectorAll('details').forEach(function (details) { details.open = false; });
  }
  function add() {
    var all = rows(), last = all[all.length - 1], next = 0;
    all.forEach(function (row) { next = Math.max(next, parseInt(row.getAttribute('data-step'), 10) + 1); });
    var copy = last.cloneNode(true);
    copy.setAttribute('data-step', String(next));
    copy.querySelectorAll('[name]').forEach(function (field) {
      field.name = field.name.replace(/^step-\d+-/, 'step-' + next + '-');
    });
    clear(copy);
    last.parentNode.insertBefore(copy, last.nextSibling);
    renumber();
    var first = copy.querySelector('select');
    if (first) first.focus();
  }
  list.addEventListener('click', function (event) {
    var remove = event.target.closest('[data-remove-step]');
    if (remove) {
      var row = remove.closest('fieldset[data-step]');
      if (rows().length > 1) row.remove(); else clear(row);
      renumber();
    } else if (event.target.closest('[data-add-step]')) {
      add();
    }
  });
  list.querySelectorAll('[data-add-step], [data-remove-step]').forEach(function (button) { button.hidden = false; });
  var definition = document.querySelector('textarea[name=definition]'), json = document.querySelector('input[name=mode][value=json]');
  if (definition && json) definition.addEventListener('input', function () { json.checked = true; });
})();
