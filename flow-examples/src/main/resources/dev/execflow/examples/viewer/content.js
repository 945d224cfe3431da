/*
 * A phase's log content on demand: GET /api/session/{id}/phase/{name}/rows, fetched when the
 * person opens the section, a page at a time (Load more follows nextCursor), per visit for a
 * phase that ran more than once. Content longer than the service's bound arrives cut, and says so.
 */
import { el } from './dom.js';
import { encode, getJson } from './api.js';
import { errorView } from './errors.js';
import { fmtClock, fmtCost, fmtInt } from './format.js';

// rows per request; ?contentPage=N on the page's URL changes it (1-500, the endpoint's bound)
const PAGE = Math.min(500, Math.max(1,
  parseInt(new URLSearchParams(window.location.search).get('contentPage'), 10) || 50));

/** The content section of a phase; {@code visits} how often it ran. Persistent across live updates. */
export function contentSection(sessionId, phase, visits) {
  const box = el('details', { class: 'content-section', 'data-content-phase': phase });
  const list = el('ol', { class: 'rows', 'aria-label': 'Log rows of ' + phase });
  const status = el('div', { class: 'content-status muted', role: 'status' });
  const more = el('button', { type: 'button', class: 'btn', 'data-action': 'more-rows', text: 'Load more', hidden: true });
  let visit = null;
  let cursor = null;
  let loaded = false;
  let generation = 0;
  let pendingError = null;

  box.appendChild(el('summary', { text: 'Log content: prompts, outputs, tool calls' }));
  if (visits > 1) {
    const select = el('select', { 'data-content': 'visit', 'aria-label': 'Visit' },
      el('option', { value: '', text: 'all ' + visits + ' visits' }));
    for (let v = 1; v <= visits; v++) select.appendChild(el('option', { value: String(v), text: 'visit ' + v }));
    select.addEventListener('change', () => { visit = select.value ? Number(select.value) : null; reload(); });
    box.appendChild(el('label', { class: 'content-visit' }, 'Show ', select));
    box.setVisit = (v) => { select.value = v ? String(v) : ''; visit = v || null; if (box.open) reload(); else loaded = false; };
  } else {
    box.setVisit = () => {};
  }
  box.appendChild(status);
  box.appendChild(list);
  box.appendChild(more);
  box.addEventListener('toggle', () => { if (box.open && !loaded) reload(); });
  more.addEventListener('click', () => page());

  function reload() {
    loaded = true;
    cursor = null;
    list.textContent = '';
    page();
  }

  async function page() {
    const mine = ++generation;
    if (pendingError) { pendingError.stopRetry(); pendingError.remove(); pendingError = null; }
    const q = new URLSearchParams();
    if (visit) q.set('visit', String(visit));
    q.set('limit', String(PAGE));
    if (cursor) q.set('cursor', cursor);
    more.hidden = true;
    status.textContent = 'Loading…';
    box.dataset.state = 'loading';
    try {
      const body = await getJson('/api/session/' + encode(sessionId) + '/phase/' + encode(phase) + '/rows?' + q.toString());
      if (mine !== generation) return;
      (body.rows || []).forEach((r) => list.appendChild(rowView(r, body.contentLimit)));
      cursor = body.nextCursor || null;
      more.hidden = !cursor;
      const n = list.children.length;
      status.textContent = n === 0 ? 'No rows.' : fmtInt(n) + ' row' + (n === 1 ? '' : 's') + (cursor ? ' so far' : '');
      box.dataset.state = 'ready';
      box.dataset.rows = String(n);
    } catch (e) {
      if (mine !== generation) return;
      status.textContent = '';
      box.dataset.state = 'error';
      pendingError = errorView('Could not load the rows.', e, { onRetry: () => page(), attempt: 0 });
      box.insertBefore(pendingError, list);
    }
  }
  return box;
}

function rowView(r, limit) {
  const has = (v) => v !== null && v !== undefined;
  const meta = [fmtClock(r.timestamp, true), r.visit ? 'visit ' + r.visit : null, r.kind || r.nodeType, r.role,
    // turn_number is logged 0-based; a phase's turnCount counts from 1
    has(r.turnNumber) ? 'turn ' + (r.turnNumber + 1) : null,
    has(r.soundingIndex) ? 'sounding #' + r.soundingIndex : null,
    has(r.reforgeStep) ? 'reforge step ' + r.reforgeStep : null,
    r.model, r.cost !== null && r.cost !== undefined ? fmtCost(r.cost) : null,
    r.tokensIn !== null && r.tokensIn !== undefined ? fmtInt(r.tokensIn) + ' in' : null,
    r.tokensOut !== null && r.tokensOut !== undefined ? fmtInt(r.tokensOut) + ' out' : null].filter(Boolean).join(' · ');
  const li = el('li', { class: 'row-item', 'data-kind': r.kind || '', 'data-role': r.role || '' },
    el('div', { class: 'row-meta', text: meta }));
  if (r.content !== null && r.content !== undefined && r.content !== '') {
    li.appendChild(el('pre', { class: 'row-content', tabindex: '0', text: r.content }));
  }
  if (r.contentTruncated) {
    // contentLength is null when the content was too long for the service to measure
    const whole = has(r.contentLength) ? ' of ' + fmtInt(r.contentLength) + ' characters.' : ' characters; the whole is longer than the service reads.';
    li.appendChild(el('div', { class: 'row-cut muted', 'data-truncated': 'true',
      text: 'Cut at ' + fmtInt(limit || (r.content || '').length) + whole }));
  }
  return li;
}
