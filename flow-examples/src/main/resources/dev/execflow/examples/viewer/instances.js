/*
 * The instances page: the sessions grid (sortable from mouse and keyboard, filters, paging with
 * Load more), a Flow button per row, and its empty and error states (retried with backoff).
 */
import { $, el, svgEl } from './dom.js';
import { ApiError, getJson } from './api.js';
import { errorView } from './errors.js';
import { fmtCost, fmtDuration, fmtStarted } from './format.js';

// rows per request; ?pageSize=N on the page's URL changes it (1-500)
const PAGE_SIZE = Math.min(500, Math.max(1,
  parseInt(new URLSearchParams(window.location.search).get('pageSize'), 10) || 100));
const DESCENDING_FIRST = new Set(['started', 'cost', 'duration']);

export class InstancesPage {
  /** @param onFlow (sessionId, cascadeId, button) opens the Flow modal */
  constructor(onFlow, definitions) {
    this.onFlow = onFlow;
    this.definitions = definitions;
    this.rows = [];
    this.nextCursor = null;
    this.sort = { key: 'started', dir: -1 };
    this.attempt = 0;
    this.error = null;
    document.querySelectorAll('#instances-grid th[data-sort]').forEach((th) => th.querySelector('button').addEventListener('click', () => {
      const key = th.dataset.sort;
      this.sort = this.sort.key === key ? { key, dir: -this.sort.dir } : { key, dir: DESCENDING_FIRST.has(key) ? -1 : 1 };
      this.render();
    }));
    $('status-filter').addEventListener('change', () => this.load(false));
    $('cascade-filter').addEventListener('change', () => this.load(false));
    $('refresh').addEventListener('click', () => this.load(false));
    $('load-more').addEventListener('click', () => this.load(true));
  }

  url(after) {
    const p = new URLSearchParams();
    p.set('limit', String(PAGE_SIZE));
    const st = $('status-filter').value;
    const cc = $('cascade-filter').value;
    if (st) p.set('status', st);
    if (cc) p.set('cascade', cc);
    if (after) p.set('after', after);
    return '/api/sessions?' + p.toString();
  }

  async load(append) {
    const gs = $('grid-state');
    if (this.error) { this.error.stopRetry(); this.error = null; }
    if (!append) {
      gs.hidden = false;
      gs.dataset.state = 'loading';
      gs.textContent = 'Loading sessions…';
    }
    try {
      const page = await getJson(this.url(append ? this.nextCursor : null));
      this.attempt = 0;
      this.rows = append ? this.rows.concat(page.sessions) : page.sessions;
      this.nextCursor = page.next_cursor || null;
      await this.fillCascadeFilter();
      this.render();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, null, String(e && e.message), null);
      $('instances-grid').hidden = true;
      $('load-more').hidden = true;
      gs.hidden = false;
      gs.dataset.state = 'error';
      gs.textContent = '';
      this.error = errorView('Could not load sessions.', err, { attempt: this.attempt++, onRetry: () => this.load(false) });
      gs.appendChild(this.error);
    }
  }

  async fillCascadeFilter() {
    const defs = await this.definitions();
    const sel = $('cascade-filter');
    const current = sel.value;
    const ids = new Set((defs || []).map((d) => d.cascade_id).filter(Boolean));
    this.rows.forEach((r) => r.cascade_id && ids.add(r.cascade_id));
    while (sel.options.length > 1) sel.remove(1);
    [...ids].sort().forEach((id) => sel.appendChild(el('option', { value: id, text: id })));
    sel.value = ids.has(current) ? current : '';
  }

  render() {
    const table = $('instances-grid');
    const tbody = table.querySelector('tbody');
    const gs = $('grid-state');
    const focused = tbody.contains(document.activeElement) ? document.activeElement.dataset.session : null;
    tbody.textContent = '';
    table.querySelectorAll('th[data-sort]').forEach((th) => {
      th.classList.remove('sorted-asc', 'sorted-desc');
      th.removeAttribute('aria-sort');
      if (th.dataset.sort === this.sort.key) {
        th.classList.add(this.sort.dir > 0 ? 'sorted-asc' : 'sorted-desc');
        th.setAttribute('aria-sort', this.sort.dir > 0 ? 'ascending' : 'descending');
      }
    });
    const rows = this.rows.slice().sort((a, b) => this.sort.dir * compare(a, b, this.sort.key) || compare(a, b, 'session_id'));
    if (rows.length === 0) {
      table.hidden = true;
      gs.hidden = false;
      gs.dataset.state = 'empty';
      const filtered = $('status-filter').value || $('cascade-filter').value;
      gs.textContent = filtered ? 'No sessions match these filters.' : 'No sessions yet.';
    } else {
      gs.hidden = true;
      gs.dataset.state = 'ready';
      table.hidden = false;
    }
    for (const r of rows) {
      const button = el('button', {
        class: 'action-btn flow', type: 'button', title: 'View execution flow',
        'aria-label': 'Flow of ' + r.session_id, 'data-action': 'flow', 'data-session': r.session_id,
        onclick: (e) => { e.stopPropagation(); this.onFlow(r.session_id, r.cascade_id, e.currentTarget); },
      }, flowIcon(), 'Flow');
      tbody.appendChild(el('tr', { 'data-session': r.session_id, 'data-status': r.status },
        el('td', { class: 'session', text: r.session_id }),
        el('td', { text: r.cascade_id || '–' }),
        el('td', null, el('span', { class: 'badge ' + r.status, text: r.status })),
        el('td', { class: 'num', text: fmtCost(r.cost) }),
        el('td', { class: 'num', text: fmtDuration(r.duration) }),
        el('td', { class: 'started', text: fmtStarted(r.started) }),
        el('td', { class: 'actions' }, button)));
      if (focused === r.session_id) button.focus();
    }
    $('grid-count').textContent = rows.length + (this.nextCursor ? '+' : '') + ' session' + (rows.length === 1 ? '' : 's');
    $('load-more').hidden = !this.nextCursor;
  }
}

function compare(a, b, key) {
  const x = a[key], y = b[key];
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y));
}

function flowIcon() {
  const s = svgEl('svg', { viewBox: '0 0 16 16', 'aria-hidden': 'true', focusable: 'false' });
  s.appendChild(svgEl('path', { d: 'M3 2h4v3H3zM9 11h4v3H9zM3 11h4v3H3zM5 5v3h6v3M5 8v3',
    fill: 'none', stroke: 'currentColor', 'stroke-width': '1.4' }));
  return s;
}
