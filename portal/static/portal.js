/* The portal's own behaviour, kept out of the templates so the Content-Security-Policy can forbid inline script.
   Each part looks for its markup (data-* attributes) and does nothing on pages without it. */
(function () {
  'use strict';

  // <form data-confirm="…">: ask before submitting, saying what will happen.
  // <button data-confirm="…"> inside a form: ask only when that button submits.
  document.addEventListener('submit', function (event) {
    const form = event.target;
    const button = event.submitter;
    const message = (button && button.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // <input data-max-rate="5.00" data-max-rate-message="…">: warn when the typed rate is above it.
    form.querySelectorAll('input[data-max-rate]').forEach(function (input) {
      if (event.defaultPrevented) return;
      const value = parseFloat(input.value);
      const limit = parseFloat(input.dataset.maxRate);
      if (isNaN(value) || value <= limit) return;
      if (!window.confirm(input.dataset.maxRateMessage.replace('{rate}', value))) {
        event.preventDefault();
      } else {
        // Confirmed here: tell the server, which otherwise holds the offer and asks again.
        const box = form.querySelector('[name=above_max_rate]');
        if (box) {
          box.checked = true;
        } else {
          const ack = document.createElement('input');
          ack.type = 'hidden';
          ack.name = 'above_max_rate';
          ack.value = 'y';
          form.appendChild(ack);
        }
      }
    });
  });

  // Progress bars: the width comes from data-percent (inline style attributes are refused by the CSP).
  function setBars(root) {
    root.querySelectorAll('.progress-bar[data-percent]').forEach(function (bar) {
      bar.style.width = bar.dataset.percent + '%';
    });
  }

  // A policy's delivery job (#delivery-job): poll its status while it is queued or running.
  function pollDeliveryJob() {
    const box = document.getElementById('delivery-job');
    if (!box || !['queued', 'running'].includes(box.dataset.status)) return;
    const tick = function () {
      fetch(box.dataset.url).then(function (r) { return r.json(); }).then(function (j) {
        box.querySelector('.job-label').textContent = j.label;
        box.querySelector('.job-done').textContent = j.done;
        box.querySelector('.job-matched').textContent = j.matched;
        box.querySelector('.job-pushed').textContent = j.pushed;
        const bar = box.querySelector('.progress-bar');
        bar.dataset.percent = j.percent;
        setBars(box);
        if (j.status === 'queued' || j.status === 'running') setTimeout(tick, 2000);
      });
    };
    setTimeout(tick, 2000);
  }

  // Condition-row editor: scroll the first row with an error into view.
  function showBadRow() {
    const bad = document.querySelector('tr.condition-row.table-danger');
    if (bad) bad.scrollIntoView({ block: 'center' });
  }

  // Condition-row editor: a row's value suggests the names its field takes (vocabulary, districts, streets).
  function linkValueList(select) {
    const row = select.closest('tr');
    const input = row && row.querySelector('input[name$="-value"]');
    if (!input) return;
    const list = document.getElementById('values-' + select.value);
    if (list) input.setAttribute('list', list.id);
    else input.removeAttribute('list');
  }
  document.addEventListener('change', function (event) {
    if (event.target.matches('select[name$="-field"]')) linkValueList(event.target);
  });

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('select[name$="-field"]').forEach(linkValueList);
    setBars(document);
    pollDeliveryJob();
    showBadRow();
  });
})();
