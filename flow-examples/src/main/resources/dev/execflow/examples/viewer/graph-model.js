/*
 * The graph as data, no DOM: phases and handoff edges (from the definition overlay, the session's
 * transitions and its executed handoffs), the order and count of every executed edge, a layered
 * layout, the "as run" unrolling of the executed path, and the edges' routes.
 */

/** How many step numbers an edge's title lists before it says "…". */
const MAX_LISTED_STEPS = 20;

/**
 * Phases in display order and the handoff edges. Each edge: {from, to, declared, taken, count,
 * steps}: count is how often the session took it, steps the 1-based steps of the executed path
 * it led into (the first phase that ran is step 1; a bounded list).
 */
export function graphOf(data, cascade) {
  const order = [];
  const seen = new Set();
  const add = (n) => { if (n && !seen.has(n)) { seen.add(n); order.push(n); } };
  if (cascade && Array.isArray(cascade.phases)) cascade.phases.forEach((p) => add(p.name));
  Object.keys(data.phases).forEach(add);
  data.executedPath.forEach(add);

  const edges = new Map();
  const edge = (from, to) => {
    add(from); add(to);
    const k = from + '\u0000' + to;
    let e = edges.get(k);
    if (!e) edges.set(k, e = { from, to, declared: false, taken: false, count: 0, steps: [] });
    return e;
  };
  const declare = (from, to) => { if (from && to) edge(from, to).declared = true; };
  if (Array.isArray(data.edges)) {
    data.edges.forEach((e) => {
      if (!e.from || !e.to) return;
      const x = edge(e.from, e.to);
      x.declared = x.declared || !!e.declared;
      x.taken = x.taken || !!e.taken;
    });
  } else {
    for (const [name, p] of Object.entries(data.phases)) (p.declaredHandoffs || []).forEach((to) => declare(name, to));
    if (cascade && Array.isArray(cascade.phases)) {
      cascade.phases.forEach((p) => (p.handoffs || []).forEach((h) =>
        declare(p.name, typeof h === 'string' ? h : (h && (h.target || h.name)))));
    }
  }
  // what actually happened always shows, even where no definition declares it
  (data.transitions || []).forEach((t, i) => {
    if (!t.from || !t.to) return;
    const e = edge(t.from, t.to);
    e.taken = true;
    e.count++;
    if (e.steps.length < MAX_LISTED_STEPS) e.steps.push(i + 2);
  });
  for (const [from, to] of Object.entries(data.executedHandoffs || {})) {
    if (from && to) edge(from, to).taken = true;
  }
  if (edges.size === 0) {
    for (let i = 0; i + 1 < order.length; i++) declare(order[i], order[i + 1]);
  }
  return { order, edges: [...edges.values()] };
}

/** The label of an executed edge: the steps it led into, e.g. "3", "3, 7", "3 … ×12". */
export function edgeLabel(e) {
  if (!e.taken || !e.count) return '';
  if (e.count <= 2) return e.steps.join(', ');
  return e.steps[0] + ' … ×' + e.count;
}

/** The edge's tooltip in words. */
export function edgeTitle(e) {
  let t = e.from + ' → ' + e.to;
  if (e.taken) {
    t += ': taken ' + (e.count === 1 ? 'once' : (e.count || 1) + ' times');
    if (e.steps.length) {
      t += ', into step' + (e.steps.length > 1 ? 's ' : ' ') + e.steps.join(', ')
        + (e.count > e.steps.length ? ', …' : '');
    }
  } else {
    t += ' (declared, not taken)';
  }
  return t;
}

/** Layered layout: back edges found by DFS, layer = longest path, barycenter ordering. */
export function layout(order, edges) {
  const index = new Map(order.map((n, i) => [n, i]));
  const out = new Map(order.map((n) => [n, []]));
  edges.forEach((e) => out.get(e.from).push(e));
  const back = new Set();
  const mark = new Map();
  // iterative DFS: a 250-visit session must not hit the call-stack limit
  for (const root of order) {
    if (mark.get(root)) continue;
    const stack = [[root, 0, out.get(root).slice().sort((a, b) => index.get(a.to) - index.get(b.to))]];
    mark.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [n, i, next] = top;
      if (i >= next.length) { mark.set(n, 2); stack.pop(); continue; }
      top[1]++;
      const e = next[i];
      const m = mark.get(e.to);
      if (m === 1) back.add(e);
      else if (!m) {
        mark.set(e.to, 1);
        stack.push([e.to, 0, out.get(e.to).slice().sort((a, b) => index.get(a.to) - index.get(b.to))]);
      }
    }
  }
  let layer = longestPath(order, edges, back);
  // a tangle (a long random walk over many phases) makes a column as tall as the phase count:
  // then layers by distance from the start instead, wide and short, the rest as direct curves
  const depth = Math.max(0, ...layer.values()) + 1;
  const tangled = depth > Math.max(10, 2.5 * Math.sqrt(order.length));
  if (tangled) {
    layer = distances(order, out);
    back.clear();
    edges.forEach((e) => { if (e.from !== e.to && layer.get(e.to) <= layer.get(e.from)) back.add(e); });
  }
  const layers = [];
  order.forEach((n) => { const l = layer.get(n); (layers[l] = layers[l] || []).push(n); });
  const filled = layers.filter(Boolean);
  const preds = new Map(order.map((n) => [n, []]));
  edges.forEach((e) => { if (!back.has(e) && e.from !== e.to) preds.get(e.to).push(e.from); });
  // barycenter: order each layer by the mean position of its predecessors
  const pos = new Map();
  filled.forEach((ns) => ns.forEach((n, i) => pos.set(n, i)));
  for (let li = 1; li < filled.length; li++) {
    const bc = (n) => {
      const ps = preds.get(n).filter((p) => pos.has(p)).map((p) => pos.get(p));
      return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : pos.get(n);
    };
    const keys = new Map(filled[li].map((n) => [n, bc(n)]));
    filled[li].sort((a, b) => keys.get(a) - keys.get(b) || index.get(a) - index.get(b));
    filled[li].forEach((n, i) => pos.set(n, i));
  }
  const layerOf = new Map();
  filled.forEach((ns, li) => ns.forEach((n) => layerOf.set(n, li)));
  return { layers: filled, back, layerOf, tangled };
}

/** Layer = the longest path to the phase over the forward edges; order.length rounds bound it. */
function longestPath(order, edges, back) {
  const layer = new Map(order.map((n) => [n, 0]));
  for (let round = 0; round < order.length; round++) {
    let changed = false;
    edges.forEach((e) => {
      if (back.has(e) || e.from === e.to) return;
      const want = layer.get(e.from) + 1;
      if (layer.get(e.to) < want) { layer.set(e.to, want); changed = true; }
    });
    if (!changed) break;
  }
  return layer;
}

/** Layer = the fewest handoffs from the first phase (breadth first; unreached phases start anew). */
function distances(order, out) {
  const layer = new Map();
  for (const root of order) {
    if (layer.has(root)) continue;
    layer.set(root, 0);
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i];
      for (const e of out.get(n)) {
        if (!layer.has(e.to)) { layer.set(e.to, layer.get(n) + 1); queue.push(e.to); }
      }
    }
  }
  return layer;
}

/**
 * Lanes for edges that go around the nodes: intervals [lo, hi] of layers get the lowest lane not
 * used by an overlapping interval (interval colouring), so the detours take as little room as
 * the overlaps need. Returns a Map edge -> lane (0-based) and the number of lanes.
 */
export function assignLanes(items) {
  const sorted = items.slice().sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  const laneEnds = [];
  const lanes = new Map();
  for (const it of sorted) {
    let lane = laneEnds.findIndex((end) => end < it.lo);
    if (lane < 0) { lane = laneEnds.length; laneEnds.push(it.hi); } else laneEnds[lane] = it.hi;
    lanes.set(it.edge, lane);
  }
  return { lanes, count: laneEnds.length };
}

/**
 * The executed path unrolled: one node per visit ({key, phase, visit, step, status}) and an edge
 * per handoff. With {@code collapse}, consecutive visits of one phase become one node "×k".
 */
export function asRun(data, collapse) {
  const nodes = [];
  const seenVisits = new Map();
  const path = data.executedPath || [];
  path.forEach((phase, i) => {
    const visit = (seenVisits.get(phase) || 0) + 1;
    seenVisits.set(phase, visit);
    const last = nodes[nodes.length - 1];
    if (collapse && last && last.phase === phase) {
      last.repeats++;
      last.lastStep = i + 1;
      return;
    }
    nodes.push({ key: 'step-' + (i + 1), phase, visit, step: i + 1, lastStep: i + 1, repeats: 1 });
  });
  nodes.forEach((n) => {
    const p = data.phases[n.phase];
    const isLastVisit = n.visit + n.repeats - 1 === (seenVisits.get(n.phase) || 0);
    // only a phase's last visit can still be running or have ended in its error
    n.status = p ? (isLastVisit ? p.status : 'completed') : 'pending';
  });
  const edges = [];
  for (let i = 0; i + 1 < nodes.length; i++) {
    edges.push({ from: nodes[i].key, to: nodes[i + 1].key, taken: true, declared: false, count: 1,
      steps: [nodes[i + 1].step], fromPhase: nodes[i].phase, toPhase: nodes[i + 1].phase });
  }
  return { nodes, edges };
}

/** Whether a phase matches the filter: all, ran (on the executed path), errors. */
export function passesFilter(filter, name, p) {
  if (filter === 'ran') return !!p && p.status !== 'pending';
  if (filter === 'errors') {
    if (!p) return false;
    if (p.status === 'error' || p.error) return true;
    const wards = (p.details && p.details.wards) || {};
    if (Object.values(wards).some((w) => w.valid === false)) return true;
    const attempts = (p.details && p.details.soundings && p.details.soundings.attempts) || [];
    return attempts.some((a) => a.status === 'error');
  }
  return true;
}
