/*
 * execflow viewer: the instances grid with a Flow button per session, and the execution-flow
 * modal (cascade graph with the session's execution overlaid). Plain browser JavaScript, no build
 * step and no libraries: the graph is small (a cascade has a handful of phases), so a simple
 * layered layout beats carrying a graph-layout dependency.
 *
 * Everything that comes from log data is inserted with textContent, never as HTML.
 */
(function () {
  'use strict';

  // polling is the fallback where server-sent events are not available
  const POLL_MS = 2000;
  const EVENT_TYPES = ['snapshot', 'phase_start', 'phase_complete', 'phase_error', 'cost', 'sounding_complete',
    'sounding_winner', 'reforge_winner', 'ward', 'turn', 'cascade_complete', 'cascade_error', 'stalled',
    'heartbeat', 'final'];
  // rows per request; ?pageSize=N on the page's URL changes it (1-500)
  const PAGE_SIZE = Math.min(500, Math.max(1,
    parseInt(new URLSearchParams(window.location.search).get('pageSize'), 10) || 100));
  const NODE_W = 236;
  const GAP_X = 48;
  const GAP_Y = 64;
  const PAD = 28;

  const state = {
    rows: [],
    nextCursor: null,
    sort: { key: 'started', dir: -1 },
    definitions: [],
    modal: null, // { sessionId, cascadeId, timer, selected, data, cascade, generation }
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
        else e.setAttribute(k, String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  function svgEl(tag, attrs) {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  // ---------- formatting ----------
  function fmtCost(c) {
    if (c === null || c === undefined || Number.isNaN(c)) return '–';
    if (c === 0) return '$0';
    if (c < 0.0001) return '<$0.0001';
    if (c < 1) return '$' + c.toFixed(4);
    return '$' + c.toFixed(2);
  }
  function fmtDuration(s) {
    if (s === null || s === undefined || Number.isNaN(s)) return '–';
    if (s < 60) return s.toFixed(1) + ' s';
    if (s < 3600) {
      const m = Math.floor(s / 60), r = Math.round(s % 60);
      return m + 'm ' + String(r).padStart(2, '0') + 's';
    }
    const h = Math.floor(s / 3600), m = Math.round((s % 3600) / 60);
    return h + 'h ' + String(m).padStart(2, '0') + 'm';
  }
  function fmtStarted(iso) {
    if (!iso) return '–';
    return iso.replace('T', ' ').replace(/\.\d+/, '').replace('Z', '');
  }
  function truncate(text, n) {
    const t = String(text).replace(/\s+/g, ' ').trim();
    return t.length > n ? t.substring(0, n - 1) + '…' : t;
  }
  function fmtInt(n) {
    return (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US');
  }

  async function getJson(url) {
    let res;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new Error('the server cannot be reached');
    }
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) {
      const msg = body && body.error ? body.error : ('HTTP ' + res.status);
      const err = new Error(msg);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  // ---------- instances page ----------
  async function loadDefinitions() {
    try {
      const defs = await getJson('/api/cascade-definitions');
      state.definitions = Array.isArray(defs) ? defs : [];
    } catch (e) {
      state.definitions = [];
    }
  }

  function fillCascadeFilter() {
    const sel = $('cascade-filter');
    const current = sel.value;
    const ids = new Set(state.definitions.map((d) => d.cascade_id).filter(Boolean));
    state.rows.forEach((r) => r.cascade_id && ids.add(r.cascade_id));
    while (sel.options.length > 1) sel.remove(1);
    [...ids].sort().forEach((id) => sel.appendChild(el('option', { value: id, text: id })));
    sel.value = ids.has(current) ? current : '';
  }

  function sessionsUrl(after) {
    const p = new URLSearchParams();
    p.set('limit', String(PAGE_SIZE));
    const st = $('status-filter').value;
    const cc = $('cascade-filter').value;
    if (st) p.set('status', st);
    if (cc) p.set('cascade', cc);
    if (after) p.set('after', after);
    return '/api/sessions?' + p.toString();
  }

  async function loadSessions(append) {
    const gs = $('grid-state');
    if (!append) {
      gs.hidden = false;
      gs.dataset.state = 'loading';
      gs.textContent = 'Loading sessions…';
    }
    try {
      const page = await getJson(sessionsUrl(append ? state.nextCursor : null));
      state.rows = append ? state.rows.concat(page.sessions) : page.sessions;
      state.nextCursor = page.next_cursor || null;
      fillCascadeFilter();
      renderGrid();
    } catch (e) {
      $('instances-grid').hidden = true;
      $('load-more').hidden = true;
      gs.hidden = false;
      gs.dataset.state = 'error';
      gs.textContent = '';
      gs.appendChild(el('div', { text: 'Could not load sessions: ' + e.message }));
      gs.appendChild(el('button', { class: 'btn', type: 'button', text: 'Retry', style: 'margin-top:10px',
        onclick: () => loadSessions(false) }));
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
    const s = svgEl('svg', { viewBox: '0 0 16 16', 'aria-hidden': 'true' });
    s.appendChild(svgEl('path', { d: 'M3 2h4v3H3zM9 11h4v3H9zM3 11h4v3H3zM5 5v3h6v3M5 8v3',
      fill: 'none', stroke: 'currentColor', 'stroke-width': '1.4' }));
    return s;
  }

  function renderGrid() {
    const table = $('instances-grid');
    const tbody = table.querySelector('tbody');
    const gs = $('grid-state');
    tbody.textContent = '';
    table.querySelectorAll('th[data-sort]').forEach((th) => {
      th.classList.remove('sorted-asc', 'sorted-desc');
      if (th.dataset.sort === state.sort.key) th.classList.add(state.sort.dir > 0 ? 'sorted-asc' : 'sorted-desc');
    });
    const rows = state.rows.slice().sort((a, b) => state.sort.dir * compare(a, b, state.sort.key)
      || compare(a, b, 'session_id'));
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
      tbody.appendChild(el('tr', { 'data-session': r.session_id, 'data-status': r.status },
        el('td', { class: 'session', text: r.session_id }),
        el('td', { text: r.cascade_id || '–' }),
        el('td', null, el('span', { class: 'badge ' + r.status, text: r.status })),
        el('td', { class: 'num', text: fmtCost(r.cost) }),
        el('td', { class: 'num', text: fmtDuration(r.duration) }),
        el('td', { text: fmtStarted(r.started) }),
        el('td', { class: 'actions' },
          el('button', {
            class: 'action-btn flow', type: 'button', title: 'View execution flow',
            'data-action': 'flow', 'data-session': r.session_id,
            onclick: (e) => { e.stopPropagation(); onVisualize(r.session_id, r.cascade_id); },
          }, flowIcon(), 'Flow'))));
    }
    $('grid-count').textContent = rows.length + (state.nextCursor ? '+' : '') + ' session' + (rows.length === 1 ? '' : 's');
    $('load-more').hidden = !state.nextCursor;
  }

  // ---------- flow modal ----------
  /** The seed's handler: open the flow modal for one session. */
  function onVisualize(sessionId, cascadeId) {
    closeModal();
    state.modal = { sessionId, cascadeId, timer: null, selected: null, data: null, cascade: null,
      generation: (state.generation = (state.generation || 0) + 1) };
    $('flow-title').textContent = (cascadeId || 'unknown cascade');
    $('flow-subtitle').textContent = 'session ' + sessionId;
    $('flow-summary').textContent = '';
    $('phase-panel').textContent = '';
    clearGraph();
    showMessage('loading', 'Loading execution flow…');
    $('flow-modal').hidden = false;
    $('flow-close').focus();
    fetchExecutionFlow(sessionId, cascadeId).then(({ cascade, executionData }) => {
      if (!isCurrent(sessionId)) return;
      state.modal.cascade = cascade;
      applyData(executionData);
    }).catch((e) => {
      if (!isCurrent(sessionId)) return;
      const what = e.status === 404 ? 'This session has no log rows.' : 'Could not load the execution flow.';
      showMessage('error', what, e.message);
    });
  }

  function isCurrent(sessionId) {
    return state.modal && state.modal.sessionId === sessionId && !$('flow-modal').hidden;
  }

  /** The seed's fetch helper: cascade definition (may be absent) and execution data. */
  async function fetchExecutionFlow(sessionId, cascadeId) {
    const [cascades, executionData] = await Promise.all([
      getJson('/api/cascade-definitions').catch(() => []),
      getJson('/api/session/' + encodeURIComponent(sessionId) + '/execution-flow'),
    ]);
    const cascade = (cascades || []).find((c) => c.cascade_id === (cascadeId || executionData.cascadeId)) || null;
    return { cascade, executionData };
  }

  function closeModal() {
    if (state.modal) stopLive(state.modal);
    if (state.modal && state.modal.timer) clearTimeout(state.modal.timer);
    state.modal = null;
    $('flow-modal').hidden = true;
  }

  function showMessage(kind, text, detail) {
    const m = $('flow-message');
    m.hidden = false;
    m.className = 'flow-message ' + kind;
    m.textContent = '';
    m.appendChild(el('div', { text }));
    if (detail) m.appendChild(el('div', { class: 'detail', text: detail }));
    $('flow-body').dataset.state = kind;
  }

  function schedulePoll() {
    const modal = state.modal;
    if (!modal) return;
    if (modal.timer) clearTimeout(modal.timer);
    modal.timer = setTimeout(async () => {
      if (!isCurrent(modal.sessionId)) return;
      try {
        const data = await getJson('/api/session/' + encodeURIComponent(modal.sessionId) + '/execution-flow');
        if (!isCurrent(modal.sessionId)) return;
        applyData(data);
      } catch (e) {
        // keep the last good picture and try again; say so in the live indicator
        if (!isCurrent(modal.sessionId)) return;
        $('live-indicator').querySelector('.text').textContent = 'Live · retrying (' + e.message + ')';
        schedulePoll();
      }
    }, POLL_MS);
  }

  function applyData(data) {
    const modal = state.modal;
    const previous = modal.data;
    modal.data = data;
    modal.dataAt = Date.now();
    modal.updates = (modal.updates || 0) + 1;
    $('flow-message').hidden = true;
    $('flow-body').dataset.state = 'ready';
    $('flow-body').dataset.sessionStatus = data.summary.status;
    $('flow-body').dataset.updates = String(modal.updates);
    if (!modal.cascadeId && data.cascadeId) $('flow-title').textContent = data.cascadeId;
    const desc = modal.cascade && modal.cascade.description;
    $('flow-subtitle').textContent = 'session ' + modal.sessionId + (desc ? ' · ' + desc : '');
    renderSummary(data, previous);
    renderGraph(data, previous);
    if (!modal.selected || !data.phases[modal.selected]) modal.selected = defaultSelection(data);
    markSelected();
    renderPanel(data);
    const live = data.summary.status === 'running';
    const li = $('live-indicator');
    li.hidden = !live;
    if (live) {
      if (!modal.stalled) setLiveText('Live · updated ' + new Date().toLocaleTimeString('en-GB'));
      startLive(modal);
    } else {
      $('flow-body').dataset.live = 'ended';
      if (modal.source) stopLive(modal);
    }
  }

  function setLiveText(text) {
    $('live-indicator').querySelector('.text').textContent = text;
  }

  // ---------- live updates: server-sent events, polling as the fallback ----------
  /**
   * Follows a running session over /api/session/{id}/events: one EventSource per open modal. A
   * stream that fails before its first event means the server cannot stream: poll instead. A
   * stream that breaks later reconnects by itself, sending Last-Event-ID, so nothing is missed.
   */
  function startLive(modal) {
    if (modal.source || modal.polling) {
      if (modal.polling) schedulePoll();
      return;
    }
    if (typeof window.EventSource !== 'function') {
      modal.polling = true;
      $('flow-body').dataset.live = 'polling';
      schedulePoll();
      return;
    }
    const es = new EventSource('/api/session/' + encodeURIComponent(modal.sessionId) + '/events');
    modal.source = es;
    modal.streamed = false;
    $('flow-body').dataset.live = 'connecting';
    const onEvent = (e) => {
      if (state.modal !== modal) { es.close(); return; }
      modal.streamed = true;
      let ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      handleEvent(modal, ev);
    };
    EVENT_TYPES.forEach((t) => es.addEventListener(t, onEvent));
    es.onerror = () => {
      if (state.modal !== modal) { es.close(); return; }
      if (!modal.streamed) {
        es.close();
        modal.source = null;
        modal.polling = true;
        $('flow-body').dataset.live = 'polling';
        schedulePoll();
      } else if (modal.source) {
        setLiveText('Live · reconnecting…');
      }
    };
    modal.ticker = setInterval(() => tick(modal), 1000);
  }

  function stopLive(modal) {
    if (modal.source) { modal.source.close(); modal.source = null; }
    if (modal.ticker) { clearInterval(modal.ticker); modal.ticker = null; }
  }

  function handleEvent(modal, ev) {
    $('flow-body').dataset.live = modal.stalled && ev.type === 'stalled' ? 'stalled' : 'sse';
    $('flow-body').dataset.lastEvent = String(ev.id);
    if (ev.type === 'stalled') {
      markStalled(modal, ev.idleSeconds);
      return;
    }
    if (ev.type === 'heartbeat') {
      if (ev.error) setLiveText('Live · the log source is failing, retrying');
      else if (modal.stalled) unmarkStalled(modal);
      return;
    }
    if (modal.stalled) unmarkStalled(modal);
    if (ev.type === 'snapshot' || ev.type === 'final') {
      if (ev.executionData) applyData(ev.executionData);
    } else if (modal.data) {
      applyData(patched(modal.data, ev));
    }
    if (ev.type === 'final') {
      stopLive(modal);
      $('flow-body').dataset.live = 'ended';
    }
  }

  function markStalled(modal, idleSeconds) {
    modal.stalled = true;
    $('flow-body').dataset.live = 'stalled';
    $('live-indicator').classList.add('stalled');
    setLiveText('Stalled · no new log rows for ' + fmtDuration(idleSeconds || 0));
  }

  function unmarkStalled(modal) {
    modal.stalled = false;
    $('flow-body').dataset.live = 'sse';
    $('live-indicator').classList.remove('stalled');
    setLiveText('Live · updated ' + new Date().toLocaleTimeString('en-GB'));
  }

  /** The running phase's and the session's durations grow between events. */
  function tick(modal) {
    if (state.modal !== modal || !modal.data || modal.data.summary.status !== 'running' || modal.stalled) return;
    const extra = (Date.now() - modal.dataAt) / 1000;
    for (const [name, p] of Object.entries(modal.data.phases)) {
      if (p.status !== 'running') continue;
      const cell = document.querySelector('#flow-canvas .node[data-phase="' + CSS.escape(name) + '"] [data-metric="duration"]');
      if (cell) cell.textContent = fmtDuration(p.duration + extra);
    }
    const total = document.querySelector('#flow-summary [data-summary="duration"]');
    if (total) total.textContent = fmtDuration(modal.data.summary.totalDuration + extra);
  }

  /** The executionData after one change event (the next snapshot or final replaces it whole). */
  function patched(data, ev) {
    const d = JSON.parse(JSON.stringify(data));
    const s = d.summary;
    const blank = () => ({ status: 'running', cost: 0, duration: 0, turnCount: 0, soundingWinner: null,
      details: { wards: {} }, visits: 0, startedAt: ev.timestamp, endedAt: null, tokensIn: 0, tokensOut: 0,
      models: [], rowCount: 0, declaredHandoffs: [], subCascades: [] });
    const p = ev.phase ? (d.phases[ev.phase] = d.phases[ev.phase] || blank()) : null;
    const details = p ? (p.details = p.details || { wards: {} }) : null;
    // the fold's rule: a running phase (and the session) lasts until the newest row
    if (typeof ev.timestamp === 'number' && typeof s.startedAt === 'number' && ev.type !== 'stalled') {
      const grown = ev.timestamp - (s.startedAt + (s.totalDuration || 0));
      if (grown > 0) {
        s.totalDuration = (s.totalDuration || 0) + grown;
        Object.values(d.phases).forEach((q) => { if (q.status === 'running') q.duration = (q.duration || 0) + grown; });
      }
    }
    switch (ev.type) {
      case 'phase_start': {
        const last = d.executedPath[d.executedPath.length - 1];
        if (p.status === 'pending' || !p.visits) s.phaseCount = (s.phaseCount || 0) + (p.visits ? 0 : 1);
        p.status = 'running';
        p.visits = ev.visit || (p.visits || 0) + 1;
        p.endedAt = null;
        if (typeof ev.duration === 'number') p.duration = ev.duration;
        if (p.startedAt === null || p.startedAt === undefined) p.startedAt = ev.timestamp;
        if (last !== undefined) {
          (d.transitions = d.transitions || []).push({ from: last, to: ev.phase, at: ev.timestamp });
          (d.executedHandoffs = d.executedHandoffs || {})[last] = ev.phase;
          if (Array.isArray(d.edges)) {
            const e = d.edges.find((x) => x.from === last && x.to === ev.phase);
            if (e) e.taken = true; else d.edges.push({ from: last, to: ev.phase, declared: false, taken: true });
          }
        }
        d.executedPath.push(ev.phase);
        break;
      }
      case 'phase_complete':
      case 'phase_error':
        p.status = ev.type === 'phase_complete' ? 'completed' : 'error';
        p.endedAt = ev.timestamp;
        if (typeof ev.duration === 'number') p.duration = ev.duration;
        if (ev.error) p.error = ev.error;
        break;
      case 'cost':
        if (p) { p.cost = ev.cost; }
        s.totalCost = ev.totalCost;
        s.tokensIn = ev.tokensIn;
        s.tokensOut = ev.tokensOut;
        break;
      case 'turn':
        p.turnCount = ev.turnCount;
        if (ev.maxTurns !== undefined) p.maxTurns = ev.maxTurns;
        break;
      case 'sounding_complete': {
        const so = details.soundings = details.soundings || { winnerIndex: null, attempts: [] };
        const a = so.attempts.find((x) => x.index === ev.soundingIndex);
        const next = { index: ev.soundingIndex, status: ev.status, preview: ev.preview || null, cost: ev.cost || 0,
          winner: so.winnerIndex === ev.soundingIndex };
        if (a) Object.assign(a, next); else so.attempts.push(next);
        so.attempts.sort((x, y) => x.index - y.index);
        break;
      }
      case 'sounding_winner': {
        const so = details.soundings = details.soundings || { winnerIndex: null, attempts: [] };
        so.winnerIndex = ev.winnerIndex;
        p.soundingWinner = ev.winnerIndex;
        so.attempts.forEach((a) => { a.winner = a.index === ev.winnerIndex; });
        break;
      }
      case 'reforge_winner': {
        const rf = details.reforge = details.reforge || { reforgeSteps: [], thresholdMet: false };
        const step = rf.reforgeSteps.find((x) => x.step === ev.step);
        if (step) step.winnerIndex = ev.winnerIndex;
        else rf.reforgeSteps.push({ step: ev.step, winnerIndex: ev.winnerIndex, attempts: 0, cost: 0 });
        rf.reforgeSteps.sort((x, y) => x.step - y.step);
        break;
      }
      case 'ward':
        details.wards = details.wards || {};
        details.wards[ev.ward] = Object.assign({}, details.wards[ev.ward], { valid: ev.valid, reason: ev.reason });
        break;
      case 'cascade_complete':
      case 'cascade_error':
        s.status = ev.type === 'cascade_complete' ? 'completed' : 'error';
        s.endedAt = ev.timestamp;
        if (typeof ev.totalCost === 'number') s.totalCost = ev.totalCost;
        break;
      default:
        break;
    }
    return d;
  }

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

  function renderSummary(data, previous) {
    const s = data.summary;
    const box = $('flow-summary');
    box.textContent = '';
    const phasesText = (s.totalPhases ? s.phaseCount + ' / ' + s.totalPhases : String(s.phaseCount));
    const tokens = (s.tokensIn || 0) + (s.tokensOut || 0);
    const stats = [
      ['status', 'Status', null, el('span', { class: 'badge ' + s.status, text: s.status })],
      ['phases', 'Phases', phasesText],
      ['cost', 'Total cost', fmtCost(s.totalCost)],
      ['duration', 'Duration', fmtDuration(s.totalDuration)],
      ['tokens', 'Tokens', fmtInt(tokens)],
      ['rows', 'Log rows', fmtInt(s.rowCount)],
    ];
    if (data.warnings && data.warnings.count > 0) {
      stats.push(['warnings', 'Warnings', String(data.warnings.count)]);
    }
    const prevSummary = previous && previous.summary;
    for (const [key, label, text, node] of stats) {
      const v = el('div', { class: 'v', 'data-summary': key }, node || text);
      if (key === 'cost') v.dataset.value = String(s.totalCost);
      if (prevSummary && key === 'cost' && prevSummary.totalCost !== s.totalCost) v.classList.add('changed');
      if (prevSummary && key === 'duration' && prevSummary.totalDuration !== s.totalDuration) v.classList.add('changed');
      const stat = el('div', { class: 'stat' }, el('div', { class: 'k', text: label }), v);
      if (key === 'warnings') stat.title = (data.warnings.samples || []).join('\n');
      box.appendChild(stat);
    }
  }

  // ---------- graph model and layout ----------
  /** Phases in display order and the handoff edges, from the overlay if present, else derived. */
  function graphOf(data, cascade) {
    const order = [];
    const seen = new Set();
    const add = (n) => { if (n && !seen.has(n)) { seen.add(n); order.push(n); } };
    if (cascade && Array.isArray(cascade.phases)) cascade.phases.forEach((p) => add(p.name));
    Object.keys(data.phases).forEach(add);
    data.executedPath.forEach(add);

    const edges = new Map();
    const addEdge = (from, to, declared, taken) => {
      if (!from || !to) return;
      add(from); add(to);
      const k = from + '\u0000' + to;
      const e = edges.get(k) || { from, to, declared: false, taken: false };
      e.declared = e.declared || declared;
      e.taken = e.taken || taken;
      edges.set(k, e);
    };
    if (Array.isArray(data.edges)) {
      data.edges.forEach((e) => addEdge(e.from, e.to, e.declared, e.taken));
    } else {
      for (const [name, p] of Object.entries(data.phases)) {
        (p.declaredHandoffs || []).forEach((to) => addEdge(name, to, true, false));
      }
      if (cascade && Array.isArray(cascade.phases)) {
        cascade.phases.forEach((p) => (p.handoffs || []).forEach((h) =>
          addEdge(p.name, typeof h === 'string' ? h : (h && (h.target || h.name)), true, false)));
      }
    }
    // what actually happened always shows, even where no definition declares it
    (data.transitions || []).forEach((t) => addEdge(t.from, t.to, false, true));
    for (const [from, to] of Object.entries(data.executedHandoffs || {})) addEdge(from, to, false, true);
    if (edges.size === 0) {
      for (let i = 0; i + 1 < order.length; i++) addEdge(order[i], order[i + 1], true, false);
    }
    return { order, edges: [...edges.values()] };
  }

  /** Layered layout: back edges found by DFS, layer = longest path, barycenter ordering. */
  function layout(order, edges) {
    const index = new Map(order.map((n, i) => [n, i]));
    const out = new Map(order.map((n) => [n, []]));
    edges.forEach((e) => out.get(e.from).push(e));
    const back = new Set();
    const mark = new Map();
    const visit = (n) => {
      mark.set(n, 1);
      const next = out.get(n).slice().sort((a, b) => index.get(a.to) - index.get(b.to));
      for (const e of next) {
        const m = mark.get(e.to);
        if (m === 1) back.add(e);
        else if (!m) visit(e.to);
      }
      mark.set(n, 2);
    };
    order.forEach((n) => { if (!mark.get(n)) visit(n); });

    const layer = new Map(order.map((n) => [n, 0]));
    // longest path over the forward DAG; order.length rounds bound it even for odd inputs
    for (let round = 0; round < order.length; round++) {
      let changed = false;
      edges.forEach((e) => {
        if (back.has(e) || e.from === e.to) return;
        const want = layer.get(e.from) + 1;
        if (layer.get(e.to) < want) { layer.set(e.to, want); changed = true; }
      });
      if (!changed) break;
    }
    const layers = [];
    order.forEach((n) => { const l = layer.get(n); (layers[l] = layers[l] || []).push(n); });
    const filled = layers.filter(Boolean);
    // barycenter: order each layer by the mean position of its predecessors
    const pos = new Map();
    filled.forEach((ns) => ns.forEach((n, i) => pos.set(n, i)));
    for (let li = 1; li < filled.length; li++) {
      const bc = (n) => {
        const preds = edges.filter((e) => e.to === n && !back.has(e) && pos.has(e.from)).map((e) => pos.get(e.from));
        return preds.length ? preds.reduce((a, b) => a + b, 0) / preds.length : pos.get(n);
      };
      filled[li].sort((a, b) => bc(a) - bc(b) || index.get(a) - index.get(b));
      filled[li].forEach((n, i) => pos.set(n, i));
    }
    const layerOf = new Map();
    filled.forEach((ns, li) => ns.forEach((n) => layerOf.set(n, li)));
    return { layers: filled, back, layerOf };
  }

  function clearGraph() {
    const canvas = $('flow-canvas');
    canvas.querySelectorAll('.node').forEach((n) => n.remove());
    $('flow-edges').textContent = '';
  }

  /**
   * Draws the graph; on an update, the nodes already drawn are updated in place (only the parts
   * that changed are replaced), so keyboard focus, an open tooltip, the selection and the running
   * phase's pulse survive. Only the edges are redrawn.
   */
  function renderGraph(data, previous) {
    const modal = state.modal;
    const wrap = $('flow-graph');
    const scroll = previous ? { top: wrap.scrollTop, left: wrap.scrollLeft } : null;
    $('flow-edges').textContent = '';
    const { order, edges } = graphOf(data, modal.cascade);
    const { layers, back, layerOf } = layout(order, edges);
    const canvas = $('flow-canvas');
    const defs = new Map((modal.cascade && modal.cascade.phases || []).map((p) => [p.name, p]));

    const drawn = new Map([...canvas.querySelectorAll('.node')].map((n) => [n.dataset.phase, n]));
    const nodes = new Map();
    for (const name of order) {
      let node = drawn.get(name);
      if (node) {
        drawn.delete(name);
        fillNode(node, name, data.phases[name], defs.get(name));
      } else {
        node = phaseNode(name, data.phases[name], defs.get(name), data);
        canvas.appendChild(node);
      }
      nodes.set(name, node);
    }
    drawn.forEach((n) => n.remove());
    // measure, then place layer by layer
    const width = Math.max(wrap.clientWidth,
      PAD * 2 + Math.max(...layers.map((l) => l.length)) * (NODE_W + GAP_X) - GAP_X + 80);
    let y = PAD;
    const box = new Map();
    for (const l of layers) {
      const h = Math.max(...l.map((n) => nodes.get(n).offsetHeight));
      const rowW = l.length * NODE_W + (l.length - 1) * GAP_X;
      let x = Math.round((width - rowW) / 2);
      for (const n of l) {
        const nh = nodes.get(n).offsetHeight;
        const ny = y + Math.round((h - nh) / 2);
        const left = x + 'px', top = ny + 'px';
        if (nodes.get(n).style.left !== left) nodes.get(n).style.left = left;
        if (nodes.get(n).style.top !== top) nodes.get(n).style.top = top;
        box.set(n, { x, y: ny, w: NODE_W, h: nh });
        x += NODE_W + GAP_X;
      }
      y += h + GAP_Y;
    }
    const height = y - GAP_Y + PAD;
    canvas.style.width = width + 'px';
    canvas.style.height = height + 'px';
    drawEdges(edges, back, box, layerOf, width, height);
    if (scroll) { wrap.scrollTop = scroll.top; wrap.scrollLeft = scroll.left; }
  }

  function drawEdges(edges, back, box, layerOf, width, height) {
    const svg = $('flow-edges');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    const defs = svgEl('defs');
    for (const [id, color] of [['arrow', '#b8c0cc'], ['arrow-taken', '#16a34a']]) {
      const m = svgEl('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
        orient: 'auto-start-reverse' });
      m.appendChild(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', fill: color }));
      defs.appendChild(m);
    }
    svg.appendChild(defs);
    // draw declared-only edges first so that green executed edges sit on top
    const sorted = edges.slice().sort((a, b) => Number(a.taken) - Number(b.taken));
    let loopOffset = 0;
    let skipOffset = 0;
    // the horizontal extent of the nodes between two layers, so long edges can go around them
    const between = (la, lb) => {
      let minX = Infinity, maxX = -Infinity;
      for (const [n, r] of box) {
        const l = layerOf.get(n);
        if (l > la && l < lb) { minX = Math.min(minX, r.x); maxX = Math.max(maxX, r.x + r.w); }
      }
      return { minX, maxX };
    };
    for (const e of sorted) {
      const a = box.get(e.from), b = box.get(e.to);
      if (!a || !b) continue;
      let d;
      const span = layerOf.get(e.to) - layerOf.get(e.from);
      if (e.from === e.to || back.has(e) || b.y <= a.y) {
        // a loop back up: around the right-hand side of both nodes
        loopOffset += 14;
        const x1 = a.x + a.w, y1 = a.y + a.h / 2;
        const x2 = b.x + b.w, y2 = b.y + b.h / 2;
        const xr = Math.max(x1, x2, between(layerOf.get(e.to), layerOf.get(e.from)).maxX) + 26 + loopOffset;
        d = `M${x1},${y1} C${xr},${y1} ${xr},${y2} ${x2 + 2},${y2}`;
      } else if (span > 1) {
        // a handoff that skips layers: around the left-hand side of the phases it skips
        skipOffset += 14;
        const x1 = a.x, y1 = a.y + a.h / 2;
        const x2 = b.x, y2 = b.y + b.h / 2;
        const xl = Math.min(x1, x2, between(layerOf.get(e.from), layerOf.get(e.to)).minX) - 26 - skipOffset;
        d = `M${x1},${y1} C${xl},${y1} ${xl},${y2} ${x2 - 2},${y2}`;
      } else {
        const x1 = a.x + a.w / 2, y1 = a.y + a.h;
        const x2 = b.x + b.w / 2, y2 = b.y - 2;
        const my = (y1 + y2) / 2;
        d = `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`;
      }
      const path = svgEl('path', {
        d, class: 'edge' + (e.taken ? ' taken' : ''),
        'marker-end': e.taken ? 'url(#arrow-taken)' : 'url(#arrow)',
        'data-edge-from': e.from, 'data-edge-to': e.to,
        'data-edge-taken': String(!!e.taken), 'data-edge-declared': String(!!e.declared),
      });
      const title = svgEl('title');
      title.textContent = e.from + ' → ' + e.to + (e.taken ? ' (executed)' : ' (not taken)');
      path.appendChild(title);
      svg.appendChild(path);
    }
  }

  function phaseNode(name, p, def) {
    const node = el('div', { class: 'node', 'data-phase': name, tabindex: '0' });
    node.addEventListener('click', () => selectPhase(name));
    node.addEventListener('keydown', (e) => { if (e.key === 'Enter') selectPhase(name); });
    node.appendChild(el('div', { class: 'head' }, el('span', { class: 'st' }), el('span', { class: 'name', text: name })));
    node.appendChild(el('div', { class: 'statustext' }));
    fillNode(node, name, p, def);
    return node;
  }

  /** Sets a node's status, texts and inner diagram; parts whose content did not change stay as they are. */
  function fillNode(node, name, p, def) {
    const status = p ? p.status : 'pending';
    if (node.dataset.status !== status) node.dataset.status = status;
    const title = name + (def && def.instructions ? ' — ' + truncate(def.instructions, 240) : '');
    if (node.title !== title) node.title = title;
    const head = node.querySelector('.head');
    const visits = p && p.visits > 1 ? '×' + p.visits : '';
    let v = head.querySelector('.visits');
    if (visits && !v) head.appendChild(v = el('span', { class: 'visits' }));
    if (v && !visits) v.remove();
    if (v && visits && v.textContent !== visits) { v.textContent = visits; v.title = 'ran ' + p.visits + ' times'; }
    const statusText = status === 'running' && p && p.progress && p.progress.maxTurns
      ? 'running · turn ' + (p.progress.turnsDone || 0) + '/' + p.progress.maxTurns
      : status;
    const st = node.querySelector('.statustext');
    if (st.textContent !== statusText) st.textContent = statusText;
    replacePart(node, '.metrics', p && status !== 'pending'
      ? JSON.stringify([p.cost, p.duration, p.turnCount]) : '',
      () => el('div', { class: 'metrics' },
        el('span', { 'data-metric': 'cost' }, el('b', { text: fmtCost(p.cost) })),
        el('span', { 'data-metric': 'duration', text: fmtDuration(p.duration) }),
        el('span', { 'data-metric': 'turns', text: p.turnCount + (p.turnCount === 1 ? ' turn' : ' turns') })));
    replacePart(node, '.inner', JSON.stringify(p ? p.details || {} : {}), () => innerView(p, def));
  }

  /** Replaces the part of {@code node} matching {@code selector} when its signature changed. */
  function replacePart(node, selector, signature, make) {
    const old = node.querySelector(':scope > ' + selector);
    if (old && old.dataset.sig === signature) return;
    const next = signature === '' ? null : make();
    if (next) next.dataset.sig = signature;
    if (old && next) old.replaceWith(next);
    else if (old) old.remove();
    else if (next) {
      // the inner diagram comes last
      const inner = selector === '.inner' ? null : node.querySelector(':scope > .inner');
      node.insertBefore(next, inner);
    }
  }

  /** The phase's inner diagram: sounding attempts, reforge steps, wards. */
  function innerView(p, def) {
    const d = (p && p.details) || {};
    const parts = [];
    if (d.soundings && d.soundings.attempts) {
      const chips = el('div', { class: 'chips', 'data-inner': 'soundings' }, el('span', { class: 'lbl', text: 'soundings' }));
      d.soundings.attempts.forEach((a) => {
        const win = d.soundings.winnerIndex === a.index;
        chips.appendChild(el('span', {
          class: 'chip' + (win ? ' winner' : ''), 'data-sounding': a.index, 'data-status': a.status,
          'data-winner': String(win),
          title: '#' + a.index + ' ' + a.status + ' · ' + fmtCost(a.cost) + (a.preview ? '\n' + a.preview : ''),
          text: (win ? '★ ' : '') + '#' + a.index,
        }));
      });
      parts.push(chips);
    }
    if (d.reforge && d.reforge.reforgeSteps && d.reforge.reforgeSteps.length) {
      const chips = el('div', { class: 'chips', 'data-inner': 'reforge' }, el('span', { class: 'lbl', text: 'reforge' }));
      d.reforge.reforgeSteps.forEach((s) => chips.appendChild(el('span', {
        class: 'chip', 'data-reforge-step': s.step, 'data-winner-index': s.winnerIndex,
        title: 'step ' + s.step + ': ' + (s.attempts || 0) + ' attempts, winner ' +
          (s.winnerIndex === null || s.winnerIndex === undefined ? 'not chosen yet' : '#' + s.winnerIndex),
        text: 'step ' + s.step + (s.winnerIndex === null || s.winnerIndex === undefined ? ' …' : ' → #' + s.winnerIndex),
      })));
      parts.push(chips);
    }
    const wards = d.wards || {};
    if (Object.keys(wards).length) {
      const chips = el('div', { class: 'chips', 'data-inner': 'wards' }, el('span', { class: 'lbl', text: 'wards' }));
      for (const [key, w] of Object.entries(wards)) chips.appendChild(wardBadge(key, w));
      parts.push(chips);
    }
    if (!parts.length) return null;
    return el('div', { class: 'inner' }, ...parts);
  }

  function wardBadge(key, w) {
    const v = w.valid === null || w.valid === undefined ? 'null' : String(w.valid);
    const mark = w.blocked ? '✗' : v === 'true' ? '✓' : v === 'false' ? '✗' : '·';
    const tip = (w.validator ? w.validator + ' (' + key + (w.mode ? ', ' + w.mode : '') + ')' : key) + ': ' +
      (v === 'true' ? 'passed' : v === 'false' ? 'failed' : 'not run') + (w.blocked ? ', blocked the phase' : '') +
      (w.reason ? '\n' + w.reason : '');
    return el('span', { class: 'ward', 'data-ward': key, 'data-valid': v, 'data-blocked': String(!!w.blocked),
      title: tip, text: mark + ' ' + key + (w.blocked ? ' blocked' : '') });
  }

  function selectPhase(name) {
    if (!state.modal || !state.modal.data) return;
    state.modal.selected = name;
    markSelected();
    renderPanel(state.modal.data);
  }

  function markSelected() {
    document.querySelectorAll('#flow-canvas .node').forEach((n) =>
      n.classList.toggle('selected', n.dataset.phase === state.modal.selected));
  }

  function renderPanel(data) {
    const panel = $('phase-panel');
    panel.textContent = '';
    const name = state.modal.selected;
    if (!name) { panel.appendChild(el('div', { class: 'empty', text: 'No phases.' })); return; }
    const p = data.phases[name];
    panel.dataset.phase = name;
    panel.appendChild(el('h3', { text: name }));
    const status = p ? p.status : 'pending';
    panel.appendChild(el('span', { class: 'badge ' + status, text: status }));
    if (!p || status === 'pending') {
      panel.appendChild(el('p', { class: 'empty', text: 'This phase has not run in this session.' }));
    }
    if (p) {
      const kv = el('div', { class: 'kv' });
      const addKv = (k, v) => { kv.appendChild(el('div', { class: 'k', text: k })); kv.appendChild(el('div', { class: 'v', text: v })); };
      if (status !== 'pending') {
        addKv('Cost', fmtCost(p.cost));
        addKv('Duration', fmtDuration(p.duration));
        addKv('Turns', String(p.turnCount) + (p.maxTurns ? ' of ' + p.maxTurns : ''));
        if (p.visits > 1) addKv('Runs', String(p.visits));
        addKv('Tokens', fmtInt(p.tokensIn) + ' in · ' + fmtInt(p.tokensOut) + ' out');
        if (p.models && p.models.length) addKv('Model', p.models.join(', '));
        if (p.subCascades && p.subCascades.length) addKv('Sub-cascades', p.subCascades.join(', '));
      }
      if (p.declaredHandoffs && p.declaredHandoffs.length) addKv('Hands off to', p.declaredHandoffs.join(', '));
      if (kv.childNodes.length) panel.appendChild(kv);
      if (p.error) {
        // an error the phase got past (it completed afterwards) is history, not its state
        const recovered = status === 'completed';
        panel.appendChild(el('div', { class: 'err' + (recovered ? ' recovered' : ''), 'data-phase-error': name,
          text: (recovered ? 'Recovered error: ' : '') + p.error }));
      }
    }
    const d = (p && p.details) || {};
    if (d.soundings) {
      panel.appendChild(el('h4', { text: 'Soundings' + (d.soundings.winnerIndex === null ? ' · no winner yet' : '') }));
      (d.soundings.attempts || []).forEach((a) => {
        const win = d.soundings.winnerIndex === a.index;
        panel.appendChild(el('div', { class: 'attempt' + (win ? ' winner' : ''), 'data-attempt': a.index, 'data-winner': String(win) },
          el('div', { class: 'row' },
            el('span', { class: 'idx', text: '#' + a.index }),
            el('span', { class: 'badge ' + a.status, text: a.status }),
            win ? el('span', { class: 'win-tag', text: '★ winner' }) : null,
            el('span', { class: 'cost', text: fmtCost(a.cost) })),
          a.preview ? el('div', { class: 'preview', text: '“' + a.preview + '”' }) : null));
      });
    }
    if (d.reforge && d.reforge.reforgeSteps) {
      panel.appendChild(el('h4', { text: 'Reforge' + (d.reforge.thresholdMet ? ' · threshold met' : '') }));
      d.reforge.reforgeSteps.forEach((s) => panel.appendChild(el('div', { class: 'step', 'data-step': s.step },
        el('b', { text: 'Step ' + s.step }),
        el('span', { text: s.winnerIndex === null || s.winnerIndex === undefined ? 'winner pending' : 'winner #' + s.winnerIndex }),
        el('span', { class: 'muted', text: (s.attempts || 0) + ' attempts' }),
        el('span', { class: 'cost', text: fmtCost(s.cost) }))));
    }
    const wards = d.wards || {};
    if (Object.keys(wards).length) {
      panel.appendChild(el('h4', { text: 'Wards' }));
      for (const [key, w] of Object.entries(wards)) {
        panel.appendChild(el('div', { class: 'ward-row' }, wardBadge(key, w),
          el('span', { class: 'reason', text: [w.validator, w.mode].filter(Boolean).join(' · ') + (w.reason ? ' — ' + w.reason : '') })));
      }
    }
  }

  // ---------- wiring ----------
  function init() {
    document.querySelectorAll('#instances-grid th[data-sort]').forEach((th) => th.addEventListener('click', () => {
      const key = th.dataset.sort;
      state.sort = state.sort.key === key ? { key, dir: -state.sort.dir } : { key, dir: key === 'started' || key === 'cost' || key === 'duration' ? -1 : 1 };
      renderGrid();
    }));
    $('status-filter').addEventListener('change', () => loadSessions(false));
    $('cascade-filter').addEventListener('change', () => loadSessions(false));
    $('refresh').addEventListener('click', () => loadSessions(false));
    $('load-more').addEventListener('click', () => loadSessions(true));
    $('flow-close').addEventListener('click', closeModal);
    $('flow-modal').addEventListener('click', (e) => { if (e.target === $('flow-modal')) closeModal(); });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('flow-modal').hidden) closeModal(); });
    loadDefinitions().then(() => loadSessions(false));
  }

  window.execflow = { onVisualize, fetchExecutionFlow, closeModal };
  init();
})();
