/*
 * The Flow modal: a real dialog (focus kept inside, Esc closes and returns focus to the button
 * that opened it), its tabs (Graph, Timeline, Phases, Compare), the selected phase shared by all
 * of them and the details panel, the address bar's deep link, the first load (errors in words,
 * transient ones retried with backoff) and the live follow of a running session.
 */
import { $, attrSel } from './dom.js';
import { trapFocus, announce } from './a11y.js';
import { ApiError, encode, getJson } from './api.js';
import { errorView } from './errors.js';
import { fmtDuration } from './format.js';
import { writeLink } from './deeplink.js';
import { renderSummary } from './summary.js';
import { GraphTab } from './graph-tab.js';
import { TimelineView } from './timeline.js';
import { PhasesTable } from './phases-table.js';
import { DetailsPanel } from './panel.js';
import { CompareView } from './compare.js';
import { LiveFollow } from './live.js';

const TABS = ['graph', 'timeline', 'phases', 'compare'];
const NARROW = 900;

export class FlowModal {
  /** @param definitions () => Promise of the cascade definitions (fetched once, shared) */
  constructor(definitions) {
    this.definitions = definitions;
    this.m = null;
    this.generation = 0;
    this.graph = new GraphTab((n) => this.select(n, true));
    this.timeline = new TimelineView($('view-timeline'), (n) => this.select(n, true));
    this.table = new PhasesTable($('phases-table'), (n) => this.select(n, true));
    this.panel = new DetailsPanel($('phase-panel'));
    this.compare = new CompareView($('view-compare'));
    this.panelOpen = window.innerWidth > NARROW;
    this.wire();
  }

  isOpen() {
    return !$('flow-modal').hidden;
  }

  /**
   * Opens the modal on a session.
   *
   * @param opts {tab, phase} to restore (a deep link), {opener} the element focus returns to
   */
  open(sessionId, cascadeId, opts) {
    const o = opts || {};
    if (this.m) this.stop();
    const started = performance.now();
    this.m = { sessionId, cascadeId, cascade: null, data: null, selected: o.phase || null, explicit: !!o.phase,
      tab: TABS.includes(o.tab) ? o.tab : 'graph', generation: ++this.generation, dirty: new Set(TABS),
      opener: o.opener || document.activeElement, started, attempt: 0, live: null, updates: 0 };
    $('flow-title').textContent = cascadeId || 'loading…';
    $('flow-subtitle').textContent = 'session ' + sessionId;
    $('flow-summary').textContent = '';
    const body = $('flow-body');
    ['sessionStatus', 'updates', 'live', 'lastEvent', 'renderMs', 'fetchMs'].forEach((k) => delete body.dataset[k]);
    this.graph.reset();
    this.panel.reset(sessionId);
    this.compare.reset(sessionId, cascadeId);
    this.setIndicator(null);
    this.setPanel(this.panelOpen);
    $('flow-modal').hidden = false;
    $('page').inert = true;
    this.showTab(this.m.tab, false);
    this.message('loading', null);
    $('flow-close').focus();
    this.load();
  }

  async load() {
    const m = this.m;
    try {
      const [defs, data] = await Promise.all([
        this.definitions(),
        getJson('/api/session/' + encode(m.sessionId) + '/execution-flow'),
      ]);
      if (m !== this.m) return;
      $('flow-body').dataset.fetchMs = String(Math.round(performance.now() - m.started));
      m.cascade = (defs || []).find((c) => c.cascade_id === (m.cascadeId || data.cascadeId)) || null;
      if (!m.cascadeId && data.cascadeId) m.cascadeId = data.cascadeId;
      this.compare.reset(m.sessionId, m.cascadeId);
      this.apply(data);
      $('flow-body').dataset.renderMs = String(Math.round(performance.now() - m.started));
      if (data.summary.status === 'running') this.follow();
      else $('flow-body').dataset.live = 'ended';
    } catch (e) {
      if (m !== this.m) return;
      const err = e instanceof ApiError ? e : new ApiError(0, null, String(e && e.message), null);
      if (err.status === 404) {
        $('flow-title').textContent = 'No such session';
        this.message('error', errorView('No such session: “' + m.sessionId + '”.', Object.assign(err, {
          human: 'This log source has no rows for that session id. Check the link, or pick a session from the list.' })));
      } else {
        this.message('error', errorView('Could not load the execution flow.', err, {
          attempt: m.attempt++, onRetry: () => { if (m === this.m) { this.message('loading', null); this.load(); } } }));
      }
    }
  }

  follow() {
    const m = this.m;
    m.live = new LiveFollow(m.sessionId, {
      onData: (data) => { if (m === this.m) this.apply(data); },
      onTick: (data, extra) => { if (m === this.m) this.tick(data, extra); },
      status: (kind, text, detail) => { if (m === this.m) this.setIndicator(kind, text, detail); },
      mode: (live) => {
        if (m !== this.m) return;
        $('flow-body').dataset.live = live;
        if (live === 'ended') { this.setIndicator(null); }
      },
      lastEvent: (id) => { if (m === this.m) $('flow-body').dataset.lastEvent = String(id); },
    });
    m.live.known(m.data);
    this.setIndicator('live', 'Live · updated ' + new Date().toLocaleTimeString('en-GB'), null);
    m.live.start();
  }

  /** Shows new data: the summary, the active tab, the panel; the other tabs when next shown. */
  apply(data) {
    const m = this.m;
    const previous = m.data;
    m.data = data;
    m.updates++;
    if (m.live && m.live.data !== data) m.live.known(data);
    this.message(null);
    const body = $('flow-body');
    body.dataset.state = 'ready';
    body.dataset.sessionStatus = data.summary.status;
    body.dataset.updates = String(m.updates);
    $('flow-title').textContent = m.cascadeId || data.cascadeId || 'unknown cascade';
    const desc = m.cascade && m.cascade.description;
    $('flow-subtitle').textContent = 'session ' + m.sessionId + (desc ? ' · ' + desc : '');
    renderSummary($('flow-summary'), data, previous);
    if (!m.selected || !(m.selected in data.phases)) {
      if (m.selected && m.explicit && previous === null) {
        announce('The link named phase ' + m.selected + ', which this session does not have.');
      }
      m.selected = defaultSelection(data);
      m.explicit = false;
    }
    TABS.forEach((t) => m.dirty.add(t));
    this.renderTab(m.tab);
    this.panel.render(data, m.cascade, m.selected);
    if (data.summary.status !== 'running') this.setIndicator(null);
    this.link();
  }

  renderTab(tab) {
    const m = this.m;
    if (!m || !m.data || !m.dirty.has(tab)) return;
    m.dirty.delete(tab);
    const t0 = performance.now();
    if (tab === 'graph') this.graph.render(m.data, m.cascade, m.selected);
    else if (tab === 'timeline') this.timeline.render(m.data, m.selected);
    else if (tab === 'phases') this.table.render(m.data, m.cascade, m.selected);
    else if (tab === 'compare') this.compare.show(m.cascadeId || m.data.cascadeId);
    $('view-' + tab).dataset.renderMs = String(Math.round(performance.now() - t0));
  }

  showTab(tab, focus) {
    if (!this.m) return;
    this.m.tab = tab;
    for (const t of TABS) {
      const b = $('tab-' + t);
      const on = t === tab;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      $('view-' + t).hidden = !on;
    }
    if (focus) $('tab-' + tab).focus();
    $('flow-body').dataset.tab = tab;
    this.renderTab(tab);
    this.link();
  }

  /** Selects a phase in every view; {@code explicit}: a person chose it (it goes into the link). */
  select(name, explicit) {
    const m = this.m;
    if (!m || !m.data) return;
    m.selected = name;
    if (explicit) m.explicit = true;
    this.graph.select(name);
    document.querySelectorAll('#view-timeline .bar').forEach((b) => b.classList.toggle('selected', b.dataset.phase === name));
    document.querySelectorAll('#phases-table tbody tr').forEach((r) => r.classList.toggle('selected', r.dataset.phase === name));
    this.table.selected = name;
    this.timeline.selected = name;
    if (explicit && !this.panelOpen) this.setPanel(true);
    this.panel.render(m.data, m.cascade, name);
    this.link();
  }

  link() {
    const m = this.m;
    if (!m) return;
    writeLink({ session: m.sessionId, tab: m.tab, phase: m.explicit ? m.selected : null });
  }

  close() {
    if (!this.m) return;
    const m = this.m;
    this.stop();
    $('flow-modal').hidden = true;
    $('page').inert = false;
    writeLink({});
    // focus goes back where it came from: the Flow button (found again if the grid was redrawn)
    let target = m.opener && document.contains(m.opener) && m.opener !== document.body ? m.opener : null;
    if (!target) target = document.querySelector('#instances-grid button[data-action="flow"]' + attrSel('data-session', m.sessionId));
    if (!target) target = $('refresh');
    target.focus();
  }

  stop() {
    if (this.m && this.m.live) this.m.live.stop();
    if (this.pendingError) { this.pendingError.stopRetry(); this.pendingError = null; }
    this.m = null;
  }

  /** The overlay over the views: loading, an error element, or nothing. */
  message(kind, content) {
    const box = $('flow-message');
    if (this.pendingError) { this.pendingError.stopRetry(); this.pendingError = null; }
    if (!kind) { box.hidden = true; return; }
    box.hidden = false;
    box.className = 'flow-message ' + kind;
    box.textContent = '';
    if (kind === 'loading') box.appendChild(document.createTextNode('Loading execution flow…'));
    else { box.appendChild(content); this.pendingError = content; }
    $('flow-body').dataset.state = kind;
  }

  setIndicator(kind, text, detail) {
    const li = $('live-indicator');
    const pause = $('live-pause');
    if (!kind) { li.hidden = true; pause.hidden = true; return; }
    li.hidden = false;
    pause.hidden = false;
    li.dataset.kind = kind;
    li.classList.toggle('stalled', kind === 'stalled');
    li.classList.toggle('retrying', kind === 'retrying');
    li.classList.toggle('paused', kind === 'paused');
    li.querySelector('.text').textContent = text;
    li.querySelector('.text').title = text;
    const d = li.querySelector('.live-details');
    d.hidden = !detail;
    li.querySelector('.live-detail-text').textContent = detail || '';
  }

  setPanel(open) {
    this.panelOpen = open;
    $('phase-panel').hidden = !open;
    const b = $('panel-toggle');
    b.setAttribute('aria-expanded', String(open));
    b.textContent = open ? 'Hide details' : 'Show details';
    $('flow-body').classList.toggle('panel-closed', !open);
  }

  tick(data, extra) {
    for (const [name, p] of Object.entries(data.phases)) {
      if (p.status !== 'running') continue;
      const cell = document.querySelector('#flow-canvas .node' + attrSel('data-phase', name) + ' [data-metric="duration"]');
      if (cell) cell.textContent = fmtDuration(p.duration + extra);
    }
    const total = document.querySelector('#flow-summary [data-summary="duration"]');
    if (total) total.textContent = fmtDuration(data.summary.totalDuration + extra);
  }

  /** Restores a deep link's tab and phase on the open session. */
  restore(link) {
    if (!this.m) return;
    if (link.tab && link.tab !== this.m.tab) this.showTab(link.tab, false);
    if (link.phase && this.m.data && link.phase in this.m.data.phases) this.select(link.phase, true);
  }

  wire() {
    $('flow-close').addEventListener('click', () => this.close());
    $('flow-modal').addEventListener('click', (e) => { if (e.target === $('flow-modal')) this.close(); });
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !this.isOpen()) return;
      // Esc first closes an open disclosure or clears the search; then the dialog
      const t = e.target;
      if (t && t.id === 'graph-search' && t.value) { t.value = ''; t.dispatchEvent(new Event('input')); return; }
      e.preventDefault();
      this.close();
    });
    trapFocus(document.querySelector('#flow-modal .modal'), () => this.isOpen());
    const tabs = [...document.querySelectorAll('#flow-modal [role="tab"]')];
    tabs.forEach((b, i) => {
      b.addEventListener('click', () => this.showTab(b.dataset.tab, false));
      b.addEventListener('keydown', (e) => {
        let j = null;
        if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
        else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
        else if (e.key === 'Home') j = 0;
        else if (e.key === 'End') j = tabs.length - 1;
        if (j === null) return;
        e.preventDefault();
        this.showTab(tabs[j].dataset.tab, true);
      });
    });
    $('panel-toggle').addEventListener('click', () => this.setPanel(!this.panelOpen));
    $('live-pause').addEventListener('click', () => {
      const m = this.m;
      if (!m || !m.live) return;
      const paused = !m.live.paused;
      $('live-pause').setAttribute('aria-pressed', String(paused));
      $('live-pause').textContent = paused ? 'Resume' : 'Pause';
      m.live.setPaused(paused);
      announce(paused ? 'Live updates paused' : 'Live updates resumed');
    });
    $('copy-link').addEventListener('click', async () => {
      const url = window.location.href;
      try {
        await navigator.clipboard.writeText(url);
        announce('Link copied');
        $('copy-link').textContent = 'Copied';
      } catch (e) {
        // no clipboard (an insecure origin): the link is in the address bar
        $('copy-link').textContent = 'Link in address bar';
      }
      setTimeout(() => { $('copy-link').textContent = 'Copy link'; }, 2000);
    });
    window.addEventListener('resize', () => {
      if (this.m && this.m.data && this.m.tab === 'timeline') { this.m.dirty.add('timeline'); this.renderTab('timeline'); }
    });
  }
}

/** The phase to show first: the running one, else the failed one, else one with details, else the last. */
function defaultSelection(data) {
  const names = Object.keys(data.phases);
  const running = names.find((n) => data.phases[n].status === 'running');
  if (running) return running;
  const err = names.find((n) => data.phases[n].status === 'error');
  if (err) return err;
  const rich = names.find((n) => {
    const d = data.phases[n].details || {};
    return d.soundings || d.reforge || (d.wards && Object.keys(d.wards).length);
  });
  return rich || data.executedPath[data.executedPath.length - 1] || names[0] || null;
}
