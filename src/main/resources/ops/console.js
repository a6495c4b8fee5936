// The sr2fhir console: polls the REST API and the health endpoint on this management port every 2 s.
'use strict';

const STATUSES = ['received', 'delivered', 'skipped-duplicate', 'rejected', 'failed-retryable', 'retrying'];
const RESENDABLE = ['rejected', 'failed-retryable'];

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text == null ? '' : String(text);
  if (className) td.className = className;
  return td;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok && response.status !== 503) throw new Error(path + ': HTTP ' + response.status);
  return response.json();
}

// with HTTP basic on an exposed port, POSTs carry the CSRF token the server put in the XSRF-TOKEN cookie
function csrfHeaders() {
  const match = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]+)/);
  return match ? { 'X-XSRF-TOKEN': decodeURIComponent(match[1]) } : {};
}

async function resend(id, button) {
  button.disabled = true;
  const response = await fetch('api/reports/' + id + '/resend', { method: 'POST', headers: csrfHeaders() });
  const body = await response.json();
  document.getElementById('message').textContent = body.message;
  refresh();
}

function showHealth(health) {
  const body = document.querySelector('#health tbody');
  body.replaceChildren();
  const row = body.insertRow();
  cell(row, 'overall');
  cell(row, health.status, health.status);
  for (const [name, component] of Object.entries(health.components || {})) {
    const r = body.insertRow();
    cell(r, name);
    cell(r, component.status, component.status);
    const details = component.details || {};
    cell(r, details.error || details.url || details.state || '');
  }
}

function showSummary(summary) {
  const head = document.querySelector('#totals thead tr');
  const values = document.querySelector('#totals tbody tr');
  head.replaceChildren();
  values.replaceChildren();
  for (const status of STATUSES) {
    const th = document.createElement('th');
    th.textContent = status;
    head.appendChild(th);
    cell(values, summary.lastHour[status], 'status-' + status).id = 'total-' + status;
  }
  document.getElementById('throughput').textContent = summary.deliveredLastHour;
}

function showReports(page) {
  const body = document.querySelector('#reports tbody');
  body.replaceChildren();
  for (const report of page.reports) {
    const row = body.insertRow();
    row.id = 'report-' + report.id;
    row.dataset.name = report.name;
    cell(row, report.receivedAt);
    cell(row, report.source);
    cell(row, report.name, 'name');
    cell(row, report.srUid, 'sr');
    cell(row, report.status + (report.resendRequested ? ' (resend requested)' : ''), 'status status-' + report.status);
    cell(row, report.attempts);
    cell(row, report.reason, 'reason');
    const action = row.insertCell();
    if (RESENDABLE.includes(report.status) && !report.resendRequested) {
      const button = document.createElement('button');
      button.textContent = 'Resend';
      button.className = 'resend';
      button.onclick = () => resend(report.id, button);
      action.appendChild(button);
    }
  }
}

async function refresh() {
  const status = document.getElementById('filter-status').value;
  const uid = document.getElementById('filter-uid').value.trim();
  const query = new URLSearchParams({ limit: '50' });
  if (status) query.set('status', status);
  if (uid) query.set(document.getElementById('filter-kind').value, uid);
  try {
    const [health, summary, reports] = await Promise.all([
      getJson('actuator/health'), getJson('api/summary'), getJson('api/reports?' + query)]);
    showHealth(health);
    showSummary(summary);
    showReports(reports);
  } catch (e) {
    document.getElementById('message').textContent = 'cannot reach sr2fhir: ' + e.message;
  }
}

document.getElementById('filter-status').onchange = refresh;
document.getElementById('filter-kind').onchange = refresh;
document.getElementById('filter-uid').onchange = refresh;
refresh();
setInterval(refresh, 2000);
