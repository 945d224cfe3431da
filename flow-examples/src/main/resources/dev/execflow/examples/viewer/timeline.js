/*
 * The Timeline tab: a Gantt of the phase visits on a time axis, one lane per phase (a loop is a
 * lane with repeated bars), bars coloured by status and as tall as the phase's share of the most
 * expensive phase's cost, lanes labelled with cost, share and time and orderable by first run,
 * cost or duration. Zoom and pan on the time axis (buttons, Ctrl+wheel, drag, keys); a click or
 * Enter on a bar selects the phase. The bars are one tab stop: arrows move between them.
 */
import { attrSel, el } from './dom.js';
import { fmtClock, fmtCost, fmtDuration, fmtShare, plural } from './format.js';
import { visitsOf } from './visits.js';

const MIN_BAR = 3;
const TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];

export class TimelineView {
  constructor(root, onSelect) {
    this.root = root;
    this.onSelect = onSelect;
    this.z = 1;
    this.order = 'start';
    this.focusKey = null;
    this.scroll = root.querySelector('.tl-scroll');
    this.body = root.querySelector('.tl-body');
    this.axis = root.querySelector('.tl-axis');
    this.info = root.querySelector('.tl-info');
    root.querySelector('[data-tl="order"]').addEventListener('change', (e) => { this.order = e.target.value; this.draw(); });
    root.querySelector('[data-tl="zoom-in"]').addEventListener('click', () => this.setZoom(this.z * 1.5));
    root.querySelector('[data-tl="zoom-out"]').addEventListener('click', () => this.setZoom(this.z / 1.5));
    root.querySelector('[data-tl="fit"]').addEventListener('click', () => this.setZoom(1));
    this.scroll.addEventListener('wheel', (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const r = this.scroll.getBoundingClientRect();
      this.setZoom(this.z * (e.deltaY < 0 ? 1.25 : 0.8), e.clientX - r.left - labelWidth());
    }, { passive: false });
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('click', (e) => {
      const bar = e.target.closest('.bar, .lane-name');
      if (!bar) return;
      if (bar.classList.contains('bar')) this.focusBar(bar, false);
      this.onSelect(bar.dataset.phase);
    });
    this.panning();
  }

  /** Draws the visits of {@code data}; keeps zoom, order, scroll and the focused bar. */
  render(data, selected) {
    this.data = data;
    this.selected = selected;
    this.draw();
  }

  draw() {
    const data = this.data;
    if (!data) return;
    const visits = visitsOf(data);
    const s = data.summary || {};
    const t0 = visits.length ? Math.min(...visits.map((v) => v.start)) : (s.startedAt || 0);
    const t1 = visits.length ? Math.max(...visits.map((v) => v.end)) : t0;
    const span = Math.max(t1 - t0, 0.001);
    this.t0 = t0;
    this.span = span;
    const trackW = Math.max(200, this.scroll.clientWidth - labelWidth() - 24);
    this.pxPerSec = trackW * this.z / span;
    const width = Math.ceil(span * this.pxPerSec);
    const lanes = this.lanes(data, visits);
    const maxCost = Math.max(0, ...lanes.map((l) => l.cost || 0));
    const totalCost = s.totalCost || 0;
    const totalTime = s.totalDuration || span;
    const left = this.scroll.scrollLeft, top = this.scroll.scrollTop;
    const hadFocus = this.body.contains(document.activeElement);

    this.drawAxis(width);
    this.body.textContent = '';
    let firstBar = null;
    for (const lane of lanes) {
      const p = data.phases[lane.phase] || {};
      const h = maxCost > 0 ? 8 + Math.round(14 * (p.cost || 0) / maxCost) : 14;
      const track = el('div', { class: 'lane-track', style: 'width:' + width + 'px' });
      for (const v of lane.visits) {
        const x = (v.start - t0) * this.pxPerSec;
        const w = Math.max(MIN_BAR, (v.end - v.start) * this.pxPerSec);
        const label = v.phase + (v.visits > 1 ? ', visit ' + v.visit + ' of ' + v.visits : '') + ', step ' + v.step
          + ', ' + v.status + ', ' + fmtClock(v.start, true) + ' to ' + fmtClock(v.end, true) + ' UTC, ' + fmtDuration(v.end - v.start);
        const bar = el('div', {
          class: 'bar', role: 'button', tabindex: '-1', 'data-phase': v.phase, 'data-visit': v.visit, 'data-step': v.step,
          'data-status': v.status, 'aria-label': label + ', phase cost ' + fmtCost(p.cost), title: label + '\nphase cost ' + fmtCost(p.cost),
          style: 'left:' + x.toFixed(1) + 'px;width:' + w.toFixed(1) + 'px;height:' + h + 'px',
        });
        if (w > 70 && v.visit === 1) bar.appendChild(el('span', { class: 'bar-text', text: fmtCost(p.cost) }));
        if (v.phase === this.selected) bar.classList.add('selected');
        track.appendChild(bar);
        if (!firstBar) firstBar = bar;
      }
      const name = el('div', { class: 'lane-name', 'data-phase': lane.phase, title: lane.phase },
        el('span', { class: 'st', 'data-status': p.status || 'pending', 'aria-hidden': 'true' }),
        el('span', { class: 'lane-title', text: lane.phase }),
        el('span', { class: 'lane-meta', text: fmtCost(p.cost) + ' · ' + fmtShare(p.cost, totalCost)
          + ' · ' + fmtDuration(p.duration) + (p.visits > 1 ? ' · ×' + p.visits : '') }));
      this.body.appendChild(el('div', { class: 'lane', 'data-phase': lane.phase, 'data-cost': p.cost || 0,
        'data-duration': p.duration || 0, role: 'group', 'aria-label': lane.phase + ': ' + fmtCost(p.cost) + ', '
          + fmtShare(p.cost, totalCost) + ' of the cost, ' + fmtDuration(p.duration) + ', ' + fmtShare(p.duration, totalTime)
          + ' of the time, ' + plural(p.visits || lane.visits.length, 'visit') },
      name, track));
    }
    if (!lanes.length) this.body.appendChild(el('div', { class: 'empty', text: 'No phase has run yet.' }));
    this.info.textContent = lanes.length
      ? plural(visits.length, 'visit') + ' of ' + plural(lanes.length, 'phase') + ' · ' + fmtClock(t0) + ' – ' + fmtClock(t1) + ' UTC · '
        + fmtDuration(span) + (this.z > 1 ? ' · zoom ×' + this.z.toFixed(1) : '')
      : '';
    this.scroll.scrollLeft = left;
    this.scroll.scrollTop = top;
    // one tab stop for all bars: the focused (or the selected phase's, or the first) bar
    const keep = this.focusKey && this.body.querySelector('.bar' + attrSel('data-step', this.focusKey));
    const sel = this.selected && this.body.querySelector('.bar' + attrSel('data-phase', this.selected));
    const stop = keep || sel || firstBar;
    if (stop) {
      stop.tabIndex = 0;
      if (hadFocus && keep) keep.focus({ preventScroll: true });
    }
  }

  lanes(data, visits) {
    const byPhase = new Map();
    for (const v of visits) {
      if (!byPhase.has(v.phase)) byPhase.set(v.phase, { phase: v.phase, visits: [], first: v.start });
      byPhase.get(v.phase).visits.push(v);
    }
    const lanes = [...byPhase.values()];
    lanes.forEach((l) => { const p = data.phases[l.phase] || {}; l.cost = p.cost || 0; l.duration = p.duration || 0; });
    if (this.order === 'cost') lanes.sort((a, b) => b.cost - a.cost || a.first - b.first);
    else if (this.order === 'duration') lanes.sort((a, b) => b.duration - a.duration || a.first - b.first);
    else lanes.sort((a, b) => a.first - b.first);
    return lanes;
  }

  drawAxis(width) {
    this.axis.textContent = '';
    const minGap = 90;
    const step = TICKS.find((t) => t * this.pxPerSec >= minGap) || TICKS[TICKS.length - 1];
    const track = el('div', { class: 'axis-track', style: 'width:' + width + 'px' });
    for (let t = 0; t <= this.span + 1e-9; t += step) {
      track.appendChild(el('span', { class: 'tick', style: 'left:' + (t * this.pxPerSec).toFixed(1) + 'px',
        text: '+' + fmtOffset(t, step) }));
    }
    this.axis.appendChild(el('div', { class: 'axis-label', text: 'from ' + fmtClock(this.t0) + ' UTC' }));
    this.axis.appendChild(track);
  }

  /** Sets the zoom keeping the time under x (pixels into the track's view; default its middle) in place. */
  setZoom(z, x) {
    const next = Math.max(1, Math.min(400, z));
    const view = this.scroll.clientWidth - labelWidth();
    const px = x === undefined ? view / 2 : Math.max(0, x);
    const t = (this.scroll.scrollLeft + px) / (this.pxPerSec || 1);
    this.z = next;
    this.draw();
    this.scroll.scrollLeft = t * this.pxPerSec - px;
    this.root.dataset.zoom = String(next);
  }

  onKey(e) {
    const bar = e.target.closest && e.target.closest('.bar');
    if (e.key === '+' || e.key === '=') { this.setZoom(this.z * 1.5); e.preventDefault(); return; }
    if (e.key === '-') { this.setZoom(this.z / 1.5); e.preventDefault(); return; }
    if (e.key === '0') { this.setZoom(1); e.preventDefault(); return; }
    if (!bar) return;
    const bars = [...this.body.querySelectorAll('.bar')];
    let next = null;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.onSelect(bar.dataset.phase); return; }
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      // through the session in time: the next or previous step
      const step = Number(bar.dataset.step) + (e.key === 'ArrowRight' ? 1 : -1);
      next = this.body.querySelector('.bar' + attrSel('data-step', step));
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const lane = bar.closest('.lane');
      const other = e.key === 'ArrowDown' ? lane.nextElementSibling : lane.previousElementSibling;
      if (other) {
        const x = bar.offsetLeft;
        next = [...other.querySelectorAll('.bar')].reduce((best, b) =>
          !best || Math.abs(b.offsetLeft - x) < Math.abs(best.offsetLeft - x) ? b : best, null);
      }
    } else if (e.key === 'Home') next = bars[0];
    else if (e.key === 'End') next = bars[bars.length - 1];
    else return;
    e.preventDefault();
    if (next) this.focusBar(next, true);
  }

  focusBar(bar, focus) {
    this.body.querySelectorAll('.bar[tabindex="0"]').forEach((b) => { b.tabIndex = -1; });
    if (!bar.classList.contains('bar')) return;
    bar.tabIndex = 0;
    this.focusKey = bar.dataset.step;
    if (focus) {
      bar.focus({ preventScroll: true });
      const r = bar.getBoundingClientRect(), v = this.scroll.getBoundingClientRect();
      if (r.left < v.left + labelWidth() || r.right > v.right) this.scroll.scrollLeft += r.left - v.left - labelWidth() - 40;
      bar.scrollIntoView({ block: 'nearest' });
    }
  }

  panning() {
    let start = null;
    const s = this.scroll;
    s.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || e.target.closest('.bar, .lane-name, button, select')) return;
      start = { x: e.clientX, left: s.scrollLeft, id: e.pointerId };
      s.setPointerCapture(e.pointerId);
    });
    s.addEventListener('pointermove', (e) => { if (start && e.pointerId === start.id) s.scrollLeft = start.left - (e.clientX - start.x); });
    const end = () => { start = null; };
    s.addEventListener('pointerup', end);
    s.addEventListener('pointercancel', end);
  }

  /** The phase names of the lanes, top to bottom. */
  laneOrder() {
    return [...this.body.querySelectorAll('.lane')].map((l) => l.dataset.phase);
  }
}

/** The lane names' column (narrower on narrow screens, as viewer.css says). */
function labelWidth() {
  return window.innerWidth <= 900 ? 170 : 230;
}

function fmtOffset(t, step) {
  if (step < 1) return t.toFixed(1) + 's';
  if (t < 60) return Math.round(t) + 's';
  const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = Math.round(t % 60);
  if (h) return h + 'h' + String(m).padStart(2, '0');
  return m + 'm' + (sec ? String(sec).padStart(2, '0') + 's' : '');
}
