/*
 * The Phases tab: a real table, one row per phase (its name in the first cell, a button that
 * selects it), sortable by every column from mouse and keyboard: each header is a button named
 * after its column, the sorted one carries aria-sort. Cost and duration show their share of the
 * session's total.
 */
import { attrSel, el } from './dom.js';
import { fmtCost, fmtDuration, fmtInt, fmtShare } from './format.js';

const COLUMNS = [
  { key: 'phase', label: 'Phase', value: (r) => r.phase, text: true },
  { key: 'status', label: 'Status', value: (r) => r.status, text: true },
  { key: 'cost', label: 'Cost', value: (r) => r.cost },
  { key: 'duration', label: 'Duration', value: (r) => r.duration },
  { key: 'turns', label: 'Turns', value: (r) => r.turns },
  { key: 'visits', label: 'Visits', value: (r) => r.visits },
  { key: 'tokens', label: 'Tokens', value: (r) => r.tokens },
  { key: 'models', label: 'Models', value: (r) => r.models, text: true },
];

/** One row per phase of the graph (pending ones too), in first-run order. */
export function phaseRows(data, cascade) {
  const names = [];
  const add = (n) => { if (n && !names.includes(n)) names.push(n); };
  (data.executedPath || []).forEach(add);
  Object.keys(data.phases).forEach(add);
  ((cascade && cascade.phases) || []).forEach((p) => add(p.name));
  return names.map((phase, i) => {
    const p = data.phases[phase];
    const ran = p && p.status !== 'pending';
    return {
      phase, index: i, status: p ? p.status : 'pending',
      cost: ran ? p.cost || 0 : null,
      duration: ran ? p.duration || 0 : null,
      turns: ran ? p.turnCount || 0 : null,
      visits: ran ? p.visits || 0 : null,
      tokens: ran ? (p.tokensIn || 0) + (p.tokensOut || 0) : null,
      tokensIn: ran ? p.tokensIn || 0 : null,
      tokensOut: ran ? p.tokensOut || 0 : null,
      models: ran && p.models ? p.models.join(', ') : '',
    };
  });
}

export class PhasesTable {
  constructor(table, onSelect) {
    this.table = table;
    this.onSelect = onSelect;
    this.sort = { key: null, dir: 1 };
    const tr = el('tr');
    for (const c of COLUMNS) {
      const th = el('th', { scope: 'col', class: c.text ? '' : 'num', 'data-col': c.key },
        el('button', { type: 'button', class: 'sort', 'data-sort': c.key, text: c.label,
          onclick: () => this.sortBy(c.key) }));
      tr.appendChild(th);
    }
    table.querySelector('thead').appendChild(tr);
  }

  /** Sorts by a column: numbers from the largest first, text from A; again: the other way. */
  sortBy(key) {
    const col = COLUMNS.find((c) => c.key === key);
    this.sort = this.sort.key === key ? { key, dir: -this.sort.dir } : { key, dir: col.text ? 1 : -1 };
    this.draw();
    const b = this.table.querySelector('thead button' + attrSel('data-sort', key));
    if (b) b.focus();
  }

  render(data, cascade, selected) {
    this.data = data;
    this.cascade = cascade;
    this.selected = selected;
    this.draw();
  }

  draw() {
    if (!this.data) return;
    const data = this.data;
    const s = data.summary || {};
    const rows = phaseRows(data, this.cascade);
    if (this.sort.key) {
      const col = COLUMNS.find((c) => c.key === this.sort.key);
      rows.sort((a, b) => this.sort.dir * compare(col.value(a), col.value(b), this.sort.dir) || a.index - b.index);
    }
    this.table.querySelectorAll('thead th').forEach((th) => {
      if (th.dataset.col === this.sort.key) th.setAttribute('aria-sort', this.sort.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    const hadFocus = this.table.querySelector('tbody').contains(document.activeElement)
      ? document.activeElement.dataset.select : null;
    const tbody = this.table.querySelector('tbody');
    tbody.textContent = '';
    const totalCost = s.totalCost || 0;
    const totalTime = s.totalDuration || 0;
    for (const r of rows) {
      const tr = el('tr', { 'data-phase': r.phase, 'data-status': r.status, class: r.phase === this.selected ? 'selected' : null },
        el('th', { scope: 'row', class: 'phase-cell' },
          el('button', { type: 'button', class: 'linkish', 'data-select': r.phase, text: r.phase,
            'aria-current': r.phase === this.selected ? 'true' : null, onclick: () => this.onSelect(r.phase) })),
        el('td', null, el('span', { class: 'badge ' + r.status, text: r.status })),
        shareCell(r.cost, totalCost, fmtCost, 'cost'),
        shareCell(r.duration, totalTime, fmtDuration, 'duration'),
        el('td', { class: 'num', 'data-col': 'turns', text: fmtInt(r.turns) }),
        el('td', { class: 'num', 'data-col': 'visits', text: fmtInt(r.visits) }),
        el('td', { class: 'num', 'data-col': 'tokens', text: fmtInt(r.tokens),
          title: r.tokens === null ? null : fmtInt(r.tokensIn) + ' in · ' + fmtInt(r.tokensOut) + ' out' }),
        el('td', { class: 'models', 'data-col': 'models', text: r.models || '–' }));
      tbody.appendChild(tr);
    }
    const foot = this.table.querySelector('tfoot');
    foot.textContent = '';
    foot.appendChild(el('tr', null,
      el('th', { scope: 'row', text: 'Session' }),
      el('td', null, el('span', { class: 'badge ' + s.status, text: s.status })),
      el('td', { class: 'num', text: fmtCost(s.totalCost) }),
      el('td', { class: 'num', text: fmtDuration(s.totalDuration) }),
      el('td', { class: 'num', text: '' }),
      el('td', { class: 'num', text: fmtInt((data.executedPath || []).length) }),
      el('td', { class: 'num', text: fmtInt((s.tokensIn || 0) + (s.tokensOut || 0)) }),
      el('td', { text: '' })));
    if (hadFocus) {
      const b = tbody.querySelector('button' + attrSel('data-select', hadFocus));
      if (b) b.focus({ preventScroll: true });
    }
  }

  /** The phase names in the order shown. */
  order() {
    return [...this.table.querySelectorAll('tbody tr')].map((r) => r.dataset.phase);
  }
}

function shareCell(value, total, format, key) {
  const share = value === null || !total ? null : value / total;
  return el('td', { class: 'num share', 'data-col': key },
    el('span', { class: 'share-value', text: format(value) }),
    share === null ? null : el('span', { class: 'share-pct', text: fmtShare(value, total) }),
    share === null ? null : el('span', { class: 'share-bar', 'aria-hidden': 'true', style: 'width:' + Math.round(Math.min(1, share) * 100) + '%' }));
}

/** Nulls (pending phases) last in either direction. */
function compare(x, y, dir) {
  if (x === y) return 0;
  const xn = x === null || x === undefined || x === '', yn = y === null || y === undefined || y === '';
  if (xn) return dir;
  if (yn) return -dir;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y));
}
