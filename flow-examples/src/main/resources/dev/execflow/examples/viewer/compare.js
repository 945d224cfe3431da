/*
 * The Compare tab: this session against another session of its cascade, or against the median of
 * the cascade's last N finished runs (GET /api/compare), per phase side by side with the deltas of
 * cost, duration and turns. A delta says its sign in text (+/−) and an arrow, not by colour alone.
 */
import { el } from './dom.js';
import { encode, getJson } from './api.js';
import { errorView } from './errors.js';
import { fmtCost, fmtDelta, fmtDuration, fmtInt } from './format.js';

export class CompareView {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector('.compare-form');
    this.select = root.querySelector('[data-compare="session"]');
    this.medianN = root.querySelector('[data-compare="median-n"]');
    this.result = root.querySelector('.compare-result');
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.run(); });
    this.form.querySelectorAll('input[name="compare-with"]').forEach((r) => r.addEventListener('change', () => this.sync()));
    this.sync();
  }

  sync() {
    const median = this.mode() === 'median';
    this.select.disabled = median;
    this.medianN.disabled = !median;
  }

  mode() {
    const r = this.form.querySelector('input[name="compare-with"]:checked');
    return r ? r.value : 'session';
  }

  /** A new session: list the other sessions of its cascade (once, when the tab is first shown). */
  reset(sessionId, cascadeId) {
    this.sessionId = sessionId;
    this.cascadeId = cascadeId;
    this.listed = false;
    this.result.textContent = '';
    this.root.dataset.state = 'idle';
    while (this.select.options.length) this.select.remove(0);
  }

  async show(cascadeId) {
    if (cascadeId) this.cascadeId = cascadeId;
    if (this.listed) return;
    this.listed = true;
    const mine = this.sessionId;
    this.select.appendChild(el('option', { value: '', text: 'Loading sessions…' }));
    try {
      const q = new URLSearchParams({ limit: '100' });
      if (this.cascadeId) q.set('cascade', this.cascadeId);
      const page = await getJson('/api/sessions?' + q.toString());
      if (mine !== this.sessionId) return;
      while (this.select.options.length) this.select.remove(0);
      const others = (page.sessions || []).filter((s) => s.session_id !== this.sessionId);
      for (const s of others) {
        this.select.appendChild(el('option', { value: s.session_id,
          text: s.session_id + ' · ' + (s.status || '') + ' · ' + fmtCost(s.cost) + (s.started ? ' · ' + s.started.substring(0, 16).replace('T', ' ') : '') }));
      }
      if (!others.length) this.select.appendChild(el('option', { value: '', text: 'no other session of this cascade' }));
    } catch (e) {
      while (this.select.options.length) this.select.remove(0);
      this.select.appendChild(el('option', { value: '', text: 'could not list sessions' }));
      this.listed = false;
    }
  }

  async run() {
    const q = new URLSearchParams({ a: this.sessionId });
    if (this.mode() === 'median') {
      const n = Math.max(1, Math.min(50, parseInt(this.medianN.value, 10) || 5));
      this.medianN.value = String(n);
      q.set('median', String(n));
    } else {
      if (!this.select.value) return;
      q.set('b', this.select.value);
    }
    const mine = this.sessionId;
    this.root.dataset.state = 'loading';
    this.result.textContent = 'Comparing…';
    try {
      const body = await getJson('/api/compare?' + q.toString());
      if (mine !== this.sessionId) return;
      this.result.textContent = '';
      this.result.appendChild(this.table(body));
      this.root.dataset.state = 'ready';
    } catch (e) {
      if (mine !== this.sessionId) return;
      this.result.textContent = '';
      // the service's 404s and 400s here are sentences a person can act on ("no finished runs of ...")
      if ((e.status === 404 || e.status === 400) && e.detail) e.human = e.detail.charAt(0).toUpperCase() + e.detail.substring(1) + '.';
      this.result.appendChild(errorView('Could not compare.', e, { onRetry: () => this.run(), attempt: 0 }));
      this.root.dataset.state = 'error';
    }
  }

  table(c) {
    const bName = c.b && c.b.sessionId ? c.b.sessionId : 'median of ' + ((c.b && c.b.median) || '?') + ' runs';
    const wrap = el('div', { class: 'compare-table-wrap' });
    if (c.sameCascade === false) {
      wrap.appendChild(el('p', { class: 'note', text: 'These sessions belong to different cascades: only phases with the same name line up.' }));
    }
    (c.warnings || []).forEach((w) => wrap.appendChild(el('p', { class: 'note', text: w })));
    if (c.b && c.b.sessions) {
      wrap.appendChild(el('p', { class: 'muted', text: 'Baseline: the per-phase median of ' + c.b.sessions.join(', ') + '.' }));
    }
    const groups = el('tr', null, el('td', { class: 'blank' }));
    const head = el('tr', null, el('th', { scope: 'col', text: 'Phase' }));
    for (const m of ['Cost', 'Duration', 'Turns']) {
      groups.appendChild(el('th', { scope: 'colgroup', colspan: '3', class: 'group', text: m }));
      head.appendChild(el('th', { scope: 'col', class: 'num', text: 'this', title: m + ' of this session' }));
      head.appendChild(el('th', { scope: 'col', class: 'num other', text: bName, title: m + ' of ' + bName }));
      head.appendChild(el('th', { scope: 'col', class: 'num', text: 'Δ', 'aria-label': 'Δ ' + m.toLowerCase(), title: 'this minus ' + bName }));
    }
    const tbody = el('tbody');
    for (const r of c.phases || []) {
      tbody.appendChild(row(r.phase, r.a, r.b, r.delta, 'data-phase'));
    }
    const sum = el('tfoot', null, row('Session', summarySide(c.a), summarySide(c.b), c.summaryDelta, 'data-summary-row'));
    wrap.appendChild(el('table', { class: 'grid compare-table', 'aria-label': 'Comparison with ' + bName },
      el('thead', null, groups, head), tbody, sum));
    return wrap;
  }
}

function summarySide(s) {
  if (!s) return null;
  return { cost: s.totalCost, durationMs: s.durationMs, turns: s.turns, status: s.status };
}

function row(name, a, b, delta, attr) {
  const tr = el('tr', { [attr]: name, 'data-only': !a ? 'b' : !b ? 'a' : null },
    el('th', { scope: 'row', text: name + (!a ? ' (only in the other)' : !b ? ' (only in this)' : '') }));
  const metrics = [['cost', fmtCost, (x) => x], ['durationMs', fmtDuration, (x) => x / 1000], ['turns', fmtInt, (x) => x]];
  for (const [key, format, unit] of metrics) {
    const va = a && a[key] !== null && a[key] !== undefined ? unit(a[key]) : null;
    const vb = b && b[key] !== null && b[key] !== undefined ? unit(b[key]) : null;
    const d = delta && delta[key] !== null && delta[key] !== undefined ? unit(delta[key]) : null;
    tr.appendChild(el('td', { class: 'num', 'data-col': key + '-a', text: va === null ? '–' : format(va) }));
    tr.appendChild(el('td', { class: 'num', 'data-col': key + '-b', text: vb === null ? '–' : format(vb) }));
    tr.appendChild(el('td', { class: 'num delta', 'data-col': key + '-delta', 'data-sign': d === null ? null : Math.sign(d),
      'data-value': d === null ? null : String(delta[key]),
      text: d === null ? '–' : fmtDelta(d, format) + (d > 0 ? ' ▲' : d < 0 ? ' ▼' : '') }));
  }
  return tr;
}
