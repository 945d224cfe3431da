/*
 * The details panel of the selected phase: numbers with their share of the session, where it
 * handed off (how often, into which steps), its visits, error, soundings, reforge steps, wards
 * (validator, mode, reason) and its log content on demand. Redrawn only when what it shows
 * changed, and the content section is kept, so a live update does not close it or move focus.
 */
import { el } from './dom.js';
import { fmtClock, fmtCost, fmtDuration, fmtInt, fmtShare, plural } from './format.js';
import { graphOf } from './graph-model.js';
import { wardBadge, wardOutcome } from './nodes.js';
import { contentSection } from './content.js';
import { visitsOfPhase } from './visits.js';

const MAX_HANDOFFS = 8;

export class DetailsPanel {
  constructor(panel) {
    this.panel = panel;
    this.body = panel.querySelector('.panel-body');
    this.sections = new Map();
    this.sig = null;
  }

  /** A new session: forget its content sections. */
  reset(sessionId) {
    this.sessionId = sessionId;
    this.sections = new Map();
    this.sig = null;
    this.body.textContent = '';
    delete this.panel.dataset.phase;
  }

  render(data, cascade, name) {
    const p = name ? data.phases[name] : null;
    const sig = JSON.stringify([name, p, data.summary.totalCost, data.summary.totalDuration,
      (data.transitions || []).length, data.executedPath.length]);
    if (sig === this.sig) return;
    this.sig = sig;
    const body = this.body;
    const keepFocus = body.contains(document.activeElement) ? document.activeElement : null;
    const content = name ? this.section(name, p) : null;
    body.textContent = '';
    if (!name) { body.appendChild(el('div', { class: 'empty', text: 'No phases.' })); return; }
    this.panel.dataset.phase = name;
    body.appendChild(el('h3', { text: name }));
    const status = p ? p.status : 'pending';
    body.appendChild(el('span', { class: 'badge ' + status, text: status }));
    if (!p || status === 'pending') {
      body.appendChild(el('p', { class: 'empty', text: 'This phase has not run in this session.' }));
    }
    if (p) this.numbers(body, data, p, status);
    if (p) this.handoffs(body, data, cascade, name);
    if (p && p.visits > 1) this.visits(body, data, name, content);
    if (p && p.error) {
      // an error the phase got past (it completed afterwards) is history, not its state
      const recovered = status === 'completed';
      body.appendChild(el('div', { class: 'err' + (recovered ? ' recovered' : ''), 'data-phase-error': name,
        text: (recovered ? 'Recovered error: ' : '') + p.error }));
    }
    const d = (p && p.details) || {};
    if (d.soundings) this.soundings(body, d.soundings, p.visits);
    if (d.reforge && d.reforge.reforgeSteps) this.reforge(body, d.reforge);
    if (Object.keys(d.wards || {}).length) this.wards(body, d.wards);
    if (content) body.appendChild(content);
    if (keepFocus && body.contains(keepFocus)) keepFocus.focus({ preventScroll: true });
  }

  section(name, p) {
    const visits = p ? p.visits || 0 : 0;
    if (!p || p.status === 'pending' || !this.sessionId) return null;
    let s = this.sections.get(name);
    if (!s || s.visits !== visits) {
      s = contentSection(this.sessionId, name, visits);
      s.visits = visits;
      this.sections.set(name, s);
    }
    return s;
  }

  numbers(body, data, p, status) {
    const s = data.summary;
    const kv = el('div', { class: 'kv' });
    const add = (k, v) => { kv.appendChild(el('div', { class: 'k', text: k })); kv.appendChild(el('div', { class: 'v', text: v })); };
    if (status !== 'pending') {
      add('Cost', fmtCost(p.cost) + (s.totalCost ? ' · ' + fmtShare(p.cost, s.totalCost) + ' of the session' : ''));
      add('Duration', fmtDuration(p.duration) + (s.totalDuration ? ' · ' + fmtShare(p.duration, s.totalDuration) : ''));
      add('Turns', String(p.turnCount) + (p.maxTurns ? ' of ' + p.maxTurns : ''));
      if (p.visits > 1) add('Runs', String(p.visits));
      add('Tokens', fmtInt(p.tokensIn) + ' in · ' + fmtInt(p.tokensOut) + ' out');
      if (p.models && p.models.length) add('Model', p.models.join(', '));
      if (p.subCascades && p.subCascades.length) add('Sub-cascades', p.subCascades.join(', '));
      if (typeof p.startedAt === 'number') add('Started', fmtClock(p.startedAt, true) + ' UTC');
    }
    if (p.declaredHandoffs && p.declaredHandoffs.length) add('Hands off to', p.declaredHandoffs.join(', '));
    if (kv.childNodes.length) body.appendChild(kv);
  }

  handoffs(body, data, cascade, name) {
    const { edges } = graphOf(data, cascade);
    const out = edges.filter((e) => e.from === name && e.taken);
    const into = edges.filter((e) => e.to === name && e.taken && e.from !== name);
    if (!out.length && !into.length) return;
    body.appendChild(el('h4', { text: 'Handoffs taken' }));
    const list = el('ul', { class: 'handoffs' });
    const line = (e, dir) => list.appendChild(el('li', { 'data-handoff': dir, 'data-edge-from': e.from, 'data-edge-to': e.to,
      text: (dir === 'out' ? '→ ' + e.to : '← ' + e.from) + ' · ' + (e.count === 1 ? 'once' : (e.count || 1) + ' times')
        + (e.steps.length ? ' · step' + (e.steps.length > 1 ? 's ' : ' ') + e.steps.join(', ') + (e.count > e.steps.length ? ', …' : '') : '') }));
    // the most taken first; a phase of a long run can have dozens
    const most = (a, b) => b.count - a.count || a.steps[0] - b.steps[0];
    const shown = (edges, dir) => {
      edges.sort(most).slice(0, MAX_HANDOFFS).forEach((e) => line(e, dir));
      if (edges.length > MAX_HANDOFFS) list.appendChild(el('li', { class: 'muted', text: '… ' + (edges.length - MAX_HANDOFFS) + ' more ' + (dir === 'out' ? 'targets' : 'sources') }));
    };
    shown(out, 'out');
    shown(into, 'in');
    body.appendChild(list);
  }

  visits(body, data, name, content) {
    const vs = visitsOfPhase(data, name);
    body.appendChild(el('h4', { text: 'Visits' }));
    const list = el('ol', { class: 'visit-list' });
    for (const v of vs) {
      list.appendChild(el('li', { 'data-visit': v.visit },
        el('span', { text: 'step ' + v.step + ' · ' + fmtClock(v.start) + ' · ' + fmtDuration(v.end - v.start) + ' · ' + v.status }),
        content ? el('button', { type: 'button', class: 'btn small', 'data-action': 'visit-content', 'data-visit': v.visit,
          'aria-label': 'Content of visit ' + v.visit, text: 'Content',
          onclick: () => { content.setVisit(v.visit); content.open = true; content.scrollIntoView({ block: 'nearest' }); } }) : null));
    }
    body.appendChild(list);
  }

  soundings(body, so, visits) {
    const over = visits > 1 ? ' · indexes of all ' + visits + ' visits' : '';
    body.appendChild(el('h4', { text: 'Soundings' + (so.winnerIndex === null ? ' · no winner yet' : '') + over }));
    (so.attempts || []).forEach((a) => {
      const win = so.winnerIndex === a.index;
      body.appendChild(el('div', { class: 'attempt' + (win ? ' winner' : ''), 'data-attempt': a.index, 'data-winner': String(win) },
        el('div', { class: 'row' },
          el('span', { class: 'idx', text: '#' + a.index }),
          el('span', { class: 'badge ' + a.status, text: a.status }),
          win ? el('span', { class: 'win-tag', text: '★ winner' }) : null,
          el('span', { class: 'cost', text: fmtCost(a.cost) })),
        a.preview ? el('div', { class: 'preview', text: '“' + a.preview + '”' }) : null));
    });
  }

  reforge(body, rf) {
    body.appendChild(el('h4', { text: 'Reforge' + (rf.thresholdMet ? ' · threshold met' : '') }));
    rf.reforgeSteps.forEach((s) => body.appendChild(el('div', { class: 'step', 'data-step': s.step },
      el('b', { text: 'Step ' + s.step }),
      el('span', { text: s.winnerIndex === null || s.winnerIndex === undefined ? 'winner pending' : 'winner #' + s.winnerIndex }),
      el('span', { class: 'muted', text: plural(s.attempts || 0, 'attempt') }),
      el('span', { class: 'cost', text: fmtCost(s.cost) }))));
  }

  wards(body, wards) {
    body.appendChild(el('h4', { text: 'Wards' }));
    for (const [key, w] of Object.entries(wards)) {
      body.appendChild(el('div', { class: 'ward-row', 'data-ward-row': key, 'data-mode': w.mode || 'unknown' },
        wardBadge(key, w, false),
        el('div', { class: 'ward-text' },
          el('span', { class: 'mode-tag', 'data-mode': w.mode || 'unknown', text: (w.mode || 'mode not logged') }),
          el('span', { class: 'muted', text: ' · ' + key + ' · ' + wardOutcome(w) + (w.blocked ? ', stopped the phase' : '') }),
          w.reason ? el('div', { class: 'reason', text: w.reason }) : null)));
    }
  }
}
