/**
 * The web inbox page: plain HTML, CSS and a little JavaScript, served as
 * they are (no build step). The script fills the page from the JSON API
 * with `textContent` and `setAttribute` only — never `innerHTML` — so no
 * text of a mail can become markup; the HTML part is shown in an iframe
 * with an empty `sandbox` from `/api/messages/ID/html`, whose own CSP
 * forbids scripts and remote loads.
 *
 * @example
 * ```ts
 * // served by route(): GET / → INDEX_HTML, GET /app.js → APP_JS, GET /style.css → STYLE_CSS
 * ```
 */

export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>netkit mailbox</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <h1>netkit mailbox</h1>
  <input id="search" type="search" placeholder="Search from, to, subject" aria-label="Search">
  <button id="delete-all" type="button">Delete all</button>
  <span id="status" aria-live="polite"></span>
</header>
<main>
  <table id="list">
    <thead><tr><th>From</th><th>To</th><th>Subject</th><th>Date</th><th>Size</th><th>📎</th></tr></thead>
    <tbody id="rows"></tbody>
  </table>
  <section id="view" hidden>
    <nav>
      <button id="close" type="button">Back</button>
      <a id="raw" target="_blank" rel="noopener noreferrer">Raw source</a>
      <button id="delete" type="button">Delete</button>
    </nav>
    <h2 id="subject"></h2>
    <table id="headers"></table>
    <ul id="attachments"></ul>
    <iframe id="html" sandbox="" referrerpolicy="no-referrer" title="HTML part" hidden></iframe>
    <pre id="text"></pre>
  </section>
</main>
</body>
</html>
`;

export const STYLE_CSS = `body { font: 14px system-ui, sans-serif; margin: 0; color: #222; }
header { display: flex; gap: 1em; align-items: center; padding: .5em 1em; background: #234; color: #fff; }
header h1 { font-size: 1.1em; margin: 0; }
#search { flex: 1; max-width: 30em; }
main { padding: 1em; }
table { border-collapse: collapse; width: 100%; }
#list td, #list th { text-align: left; padding: .3em .5em; border-bottom: 1px solid #ddd; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 20em; }
#list tbody tr { cursor: pointer; }
#list tbody tr:hover { background: #eef; }
#headers td { padding: .1em .5em; vertical-align: top; }
#headers td:first-child { font-weight: bold; white-space: nowrap; }
iframe { width: 100%; height: 40em; border: 1px solid #ccc; }
pre { white-space: pre-wrap; background: #f7f7f7; padding: 1em; }
nav { display: flex; gap: 1em; align-items: center; }
`;

export const APP_JS = `'use strict';
const $ = (id) => document.getElementById(id);
let current = null;
let timer = null;

function cell(row, value) {
  const td = document.createElement('td');
  td.textContent = value;
  td.title = value;
  row.appendChild(td);
}

function size(n) {
  return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB';
}

function rowFor(m) {
  const tr = document.createElement('tr');
  tr.dataset.id = m.id;
  cell(tr, m.from);
  cell(tr, m.to);
  cell(tr, m.subject);
  cell(tr, m.date);
  cell(tr, size(m.size));
  cell(tr, m.attachments ? String(m.attachments) : '');
  tr.addEventListener('click', () => show(m.id));
  return tr;
}

async function api(path, init) {
  const r = await fetch(path, init);
  if (!r.ok) throw new Error(r.status + ' ' + (await r.text()));
  return r.status === 204 ? null : r.json();
}

async function load() {
  const q = $('search').value;
  const { messages } = await api('/api/messages' + (q ? '?q=' + encodeURIComponent(q) : ''));
  $('rows').replaceChildren(...messages.map(rowFor));
  $('status').textContent = messages.length + ' message' + (messages.length === 1 ? '' : 's');
}

function matches(m) {
  const q = $('search').value.toLowerCase();
  return !q || [m.from, m.to, m.cc, m.subject].some((f) => f.toLowerCase().includes(q));
}

async function show(id) {
  const m = await api('/api/messages/' + encodeURIComponent(id));
  current = id;
  const base = '/api/messages/' + encodeURIComponent(id);
  $('subject').textContent = m.subject || '(no subject)';
  const rows = m.headers.map((h) => {
    const tr = document.createElement('tr');
    cell(tr, h.name);
    cell(tr, h.value);
    return tr;
  });
  $('headers').replaceChildren(...rows);
  $('attachments').replaceChildren(...m.attachments.map((a) => {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.setAttribute('href', base + '/parts/' + encodeURIComponent(a.part));
    link.setAttribute('download', a.filename || a.part);
    link.className = 'attachment';
    link.textContent = (a.filename || a.part) + ' (' + a.contentType + ', ' + size(a.size) + ')';
    li.appendChild(link);
    return li;
  }));
  $('raw').setAttribute('href', base + '/raw');
  $('text').textContent = m.text || '';
  $('text').hidden = m.text === null;
  const frame = $('html');
  frame.hidden = !m.html;
  if (m.html) frame.setAttribute('src', base + '/html');
  else frame.removeAttribute('src');
  $('list').hidden = true;
  $('view').hidden = false;
}

function back() {
  current = null;
  $('view').hidden = true;
  $('list').hidden = false;
}

$('close').addEventListener('click', back);
$('delete').addEventListener('click', async () => {
  if (current) await api('/api/messages/' + encodeURIComponent(current), { method: 'DELETE' });
  back();
});
$('delete-all').addEventListener('click', async () => {
  await api('/api/messages', { method: 'DELETE' });
  back();
});
$('search').addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(load, 200);
});

const events = new EventSource('/api/events');
events.addEventListener('message', (e) => {
  const m = JSON.parse(e.data);
  if (!matches(m) || document.querySelector('#rows tr[data-id="' + CSS.escape(m.id) + '"]')) return;
  $('rows').prepend(rowFor(m));
  $('status').textContent = $('rows').children.length + ' messages';
});
events.addEventListener('delete', (e) => {
  const { ids } = JSON.parse(e.data);
  for (const id of ids) document.querySelector('#rows tr[data-id="' + CSS.escape(id) + '"]')?.remove();
  if (current && ids.includes(current)) back();
});
load();
`;
