/*
 * The Graph tab: the definition's graph with the session's execution on it, or the executed path
 * "as run"; filter, search, zoom, fit and a minimap. Cards are reused across updates (see
 * nodes.js); edges are redrawn, routed so that every edge and label stays inside the canvas.
 */
import { attrSel, svgEl } from './dom.js';
import { asRun, assignLanes, edgeLabel, edgeTitle, graphOf, layout, passesFilter } from './graph-model.js';
import { Minimap } from './minimap.js';
import { fillNode, fillVisitNode, phaseNode, visitNode } from './nodes.js';
import { Zoom } from './zoom.js';

const NODE_W = 236;
const GAP_X = 48;
const GAP_Y = 64;
const PAD = 32;
const LANE = 12;
const DETOUR = 26;
const LOOP = 30;
const RUN_W = 176;
const RUN_GAP_X = 40;
const RUN_GAP_Y = 36;

export class GraphView {
  constructor({ wrap, stage, canvas, svg, minimap, onSelect, onZoom }) {
    this.wrap = wrap;
    this.canvas = canvas;
    this.svg = svg;
    this.onSelect = onSelect;
    this.zoom = new Zoom(wrap, stage, canvas, (z) => { if (this.minimap) this.minimap.update(); if (onZoom) onZoom(z); });
    this.minimap = new Minimap(minimap, this.zoom);
    this.kind = null;
    this.boxes = new Map();
    this.zoomed = false;
  }

  /** Forgets the drawn graph (another session). */
  clear() {
    this.canvas.querySelectorAll('.node').forEach((n) => n.remove());
    this.svg.textContent = '';
    this.kind = null;
    this.zoomed = false;
    this.boxes = new Map();
    this.zoom.z = 1;
    this.zoom.resize(0, 0);
  }

  /**
   * Draws (or updates) the graph.
   *
   * @param opts {mode: 'definition'|'run', filter: 'all'|'ran'|'errors', collapse, query, selected}
   */
  render(data, cascade, opts) {
    const scroll = { top: this.wrap.scrollTop, left: this.wrap.scrollLeft };
    const kind = opts.mode === 'run' ? 'run' : 'definition';
    if (this.kind !== kind) {
      this.canvas.querySelectorAll('.node').forEach((n) => n.remove());
      this.kind = kind;
    }
    this.svg.textContent = '';
    const drawn = kind === 'run' ? this.drawRun(data, opts) : this.drawDefinition(data, cascade, opts);
    this.canvas.style.width = drawn.width + 'px';
    this.canvas.style.height = drawn.height + 'px';
    this.svg.setAttribute('width', drawn.width);
    this.svg.setAttribute('height', drawn.height);
    this.width = drawn.width;
    this.height = drawn.height;
    this.zoom.resize(drawn.width, drawn.height);
    if (!this.zoomed) {
      // first picture of a session: readable cards, the whole graph where that allows
      this.zoomed = true;
      // (the run is laid out in rows as wide as the view: read at full size, scrolled down)
      this.zoom.set(kind === 'run' ? 1 : Math.max(0.5, this.zoom.fitZoom()), 0, 0);
      this.wrap.scrollTop = 0;
      this.wrap.scrollLeft = 0;
    } else {
      this.wrap.scrollTop = scroll.top;
      this.wrap.scrollLeft = scroll.left;
    }
    this.minimap.draw([...this.boxes.values()], drawn.width, drawn.height);
    this.markSelected(opts.selected);
    return this.search(opts.query);
  }

  drawDefinition(data, cascade, opts) {
    const graph = graphOf(data, cascade);
    const visible = graph.order.filter((n) => passesFilter(opts.filter, n, data.phases[n]));
    const shown = new Set(visible);
    const edges = graph.edges.filter((e) => shown.has(e.from) && shown.has(e.to));
    const { layers, back, layerOf, tangled } = layout(visible, edges);
    const defs = new Map(((cascade && cascade.phases) || []).map((p) => [p.name, p]));
    const existing = new Map([...this.canvas.querySelectorAll('.node')].map((n) => [n.dataset.phase, n]));
    const nodes = new Map();
    for (const name of visible) {
      let node = existing.get(name);
      if (node) {
        existing.delete(name);
        fillNode(node, name, data.phases[name], defs.get(name));
      } else {
        node = phaseNode(name, data.phases[name], defs.get(name), this.onSelect);
        this.canvas.appendChild(node);
      }
      nodes.set(name, node);
    }
    existing.forEach((n) => n.remove());

    // the detours: handoffs that skip layers go round the left, loops back round the right
    // (in a tangle, going round would take a lane per edge: those edges go straight across)
    const left = [], right = [];
    let selfLoops = false;
    for (const e of edges) {
      if (e.from === e.to) { selfLoops = true; continue; }
      const lf = layerOf.get(e.from), lt = layerOf.get(e.to);
      if (tangled) continue;
      if (back.has(e) || lt <= lf) right.push({ edge: e, lo: lt, hi: lf });
      else if (lt - lf > 1) left.push({ edge: e, lo: lf, hi: lt });
    }
    const leftLanes = assignLanes(left), rightLanes = assignLanes(right);
    const marginL = PAD + (leftLanes.count ? DETOUR + leftLanes.count * LANE : 0);
    const marginR = PAD + Math.max(selfLoops ? LOOP : 0, rightLanes.count ? DETOUR + rightLanes.count * LANE : 0);
    // a tangle's wide layers wrap into rows, so that the whole graph has about the view's shape
    const rows = tangled ? wrapRows(layers, visible.length, this.wrap) : layers;
    const widest = Math.max(1, ...rows.map((l) => l.length));
    const contentW = widest * (NODE_W + GAP_X) - GAP_X;
    const width = Math.max(this.wrap.clientWidth, marginL + contentW + marginR);

    // measure every card first, then place them all: reads and writes interleaved would lay out per card
    const heights = new Map(visible.map((n) => [n, nodes.get(n).offsetHeight]));
    const box = new Map();
    let y = PAD;
    for (const l of rows) {
      const h = Math.max(...l.map((n) => heights.get(n)));
      const rowW = l.length * NODE_W + (l.length - 1) * GAP_X;
      let x = marginL + Math.round((width - marginL - marginR - rowW) / 2);
      for (const n of l) {
        const nh = heights.get(n);
        const ny = y + Math.round((h - nh) / 2);
        place(nodes.get(n), x, ny);
        box.set(n, { x, y: ny, w: NODE_W, h: nh, status: nodes.get(n).dataset.status });
        x += NODE_W + GAP_X;
      }
      y += h + GAP_Y;
    }
    // a tangle's arcs within the last layer dip into the space below it
    const height = Math.max(y - GAP_Y + (tangled ? GAP_Y : PAD), 2 * PAD);
    this.boxes = box;
    // the horizontal extent of the cards in a range of layers: a detour goes just round them
    const extent = (lo, hi) => {
      let minX = Infinity, maxX = -Infinity;
      for (const [n, r] of box) {
        const l = layerOf.get(n);
        if (l >= lo && l <= hi) { minX = Math.min(minX, r.x); maxX = Math.max(maxX, r.x + r.w); }
      }
      return { minX, maxX };
    };
    this.drawEdges(edges, box, (e) => {
      const a = box.get(e.from), b = box.get(e.to);
      if (e.from === e.to) return selfLoop(a);
      const lf = layerOf.get(e.from), lt = layerOf.get(e.to);
      if (leftLanes.lanes.has(e)) {
        const xl = Math.max(PAD, extent(lf, lt).minX - DETOUR - leftLanes.lanes.get(e) * LANE);
        const x1 = a.x, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
        return curve(x1, y1, xl, y1, xl, y2, x2 - 2, y2);
      }
      if (rightLanes.lanes.has(e)) {
        const xr = Math.min(width - PAD, extent(lt, lf).maxX + DETOUR + rightLanes.lanes.get(e) * LANE);
        const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x + b.w, y2 = b.y + b.h / 2;
        return curve(x1, y1, xr, y1, xr, y2, x2 + 2, y2);
      }
      if (b.y > a.y + a.h) {
        const x1 = a.x + a.w / 2, y1 = a.y + a.h, x2 = b.x + b.w / 2, y2 = b.y - 2;
        const my = (y1 + y2) / 2;
        return curve(x1, y1, x1, my, x2, my, x2, y2);
      }
      if (b.y + b.h < a.y) {
        // up, straight across: from the top of one card into the bottom of the other
        const x1 = a.x + a.w / 2 + 20, y1 = a.y, x2 = b.x + b.w / 2 + 20, y2 = b.y + b.h + 2;
        return curve(x1, y1, x1, y1 - GAP_Y / 2, x2, y2 + GAP_Y / 2, x2, y2);
      }
      // within a layer: an arc through the gap below it
      const x1 = a.x + a.w / 2 - 20, y1 = a.y + a.h, x2 = b.x + b.w / 2 - 20, y2 = b.y + b.h + 2;
      const dip = Math.max(y1, y2) + GAP_Y * 0.6;
      return curve(x1, y1, x1, dip, x2, dip, x2, y2);
    }, edgeLabel, edgeTitle);
    return { width, height };
  }

  drawRun(data, opts) {
    const run = asRun(data, opts.collapse);
    const visible = run.nodes.filter((n) => passesFilter(opts.filter, n.phase, data.phases[n.phase]));
    const existing = new Map([...this.canvas.querySelectorAll('.node')].map((n) => [n.dataset.step, n]));
    const nodes = new Map();
    for (const n of visible) {
      const key = String(n.step);
      let node = existing.get(key);
      if (node && node.dataset.phase === n.phase) {
        existing.delete(key);
        fillVisitNode(node, n, data.phases[n.phase]);
      } else {
        node = visitNode(n, data.phases[n.phase], this.onSelect);
        this.canvas.appendChild(node);
      }
      nodes.set(n.key, node);
    }
    existing.forEach((n) => n.remove());
    const cols = Math.max(1, Math.floor((this.wrap.clientWidth - 2 * PAD + RUN_GAP_X) / (RUN_W + RUN_GAP_X)));
    const heights = new Map(visible.map((n) => [n.key, nodes.get(n.key).offsetHeight]));
    const rowH = Math.max(40, ...heights.values());
    const box = new Map();
    visible.forEach((n, i) => {
      const row = Math.floor(i / cols);
      const col = row % 2 === 0 ? i % cols : cols - 1 - (i % cols);
      const x = PAD + col * (RUN_W + RUN_GAP_X), y = PAD + row * (rowH + RUN_GAP_Y);
      place(nodes.get(n.key), x, y);
      box.set(n.key, { x, y, w: RUN_W, h: heights.get(n.key), status: n.status, row, step: n.step, lastStep: n.lastStep });
    });
    const rows = Math.ceil(visible.length / cols);
    const width = Math.max(this.wrap.clientWidth, 2 * PAD + Math.min(cols, visible.length) * (RUN_W + RUN_GAP_X) - RUN_GAP_X);
    const height = Math.max(2 * PAD, 2 * PAD + rows * (rowH + RUN_GAP_Y) - RUN_GAP_Y);
    this.boxes = box;
    const edges = [];
    for (let i = 0; i + 1 < visible.length; i++) {
      const a = visible[i], b = visible[i + 1];
      edges.push({ from: a.key, to: b.key, fromPhase: a.phase, toPhase: b.phase, taken: true, declared: false,
        skipped: b.step - a.lastStep - 1 });
    }
    this.drawEdges(edges, box, (e) => {
      const a = box.get(e.from), b = box.get(e.to);
      if (a.row !== b.row) {
        const x = a.x + a.w / 2;
        return curve(x, a.y + a.h, x, a.y + a.h + 10, x, b.y - 10, x, b.y - 2);
      }
      const forward = b.x > a.x;
      const x1 = forward ? a.x + a.w : a.x, x2 = forward ? b.x - 2 : b.x + b.w + 2, y1 = a.y + a.h / 2;
      return curve(x1, y1, (x1 + x2) / 2, y1, (x1 + x2) / 2, y1, x2, y1);
    }, (e) => (e.skipped > 0 ? '… ' + e.skipped + ' more' : ''),
    (e) => e.fromPhase + ' → ' + e.toPhase + (e.skipped > 0 ? ' (' + e.skipped + ' steps not shown between)' : ''));
    return { width, height };
  }

  /** The edges (declared first, so that executed ones are drawn on top), their hit areas and labels. */
  drawEdges(edges, box, route, label, title) {
    const svg = this.svg;
    const defs = svgEl('defs');
    for (const [id, cls] of [['arrow', 'arrow'], ['arrow-taken', 'arrow taken']]) {
      const m = svgEl('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
        orient: 'auto-start-reverse' });
      m.appendChild(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
      defs.appendChild(m);
    }
    svg.appendChild(defs);
    const lines = svgEl('g', { class: 'edge-lines' });
    const hits = svgEl('g', { class: 'edge-hits' });
    const labels = svgEl('g', { class: 'edge-labels' });
    const sorted = edges.slice().sort((a, b) => Number(a.taken) - Number(b.taken));
    for (const e of sorted) {
      if (!box.get(e.from) || !box.get(e.to)) continue;
      const r = route(e);
      const from = e.fromPhase || e.from, to = e.toPhase || e.to;
      lines.appendChild(svgEl('path', {
        d: r.d, class: 'edge' + (e.taken ? ' taken' : '') + (e.from === e.to ? ' self' : ''),
        'marker-end': e.taken ? 'url(#arrow-taken)' : 'url(#arrow)',
        'data-edge-from': from, 'data-edge-to': to,
        'data-edge-taken': String(!!e.taken), 'data-edge-declared': String(!!e.declared),
        'data-edge-count': e.count === undefined ? null : e.count,
      }));
      hits.appendChild(svgEl('path', { d: r.d, class: 'edge-hit' }, svgEl('title', { text: title(e) })));
      const text = label(e);
      if (text) {
        labels.appendChild(svgEl('text', { x: r.lx, y: r.ly, class: 'edge-label', 'text-anchor': 'middle',
          'dominant-baseline': 'middle', 'data-label-from': from, 'data-label-to': to, text }));
      }
    }
    svg.appendChild(lines);
    svg.appendChild(hits);
    svg.appendChild(labels);
  }

  markSelected(name) {
    this.selected = name;
    this.canvas.querySelectorAll('.node').forEach((n) => {
      const on = n.dataset.phase === name;
      n.classList.toggle('selected', on);
      if (on) n.setAttribute('aria-current', 'true'); else n.removeAttribute('aria-current');
    });
  }

  /** Marks the cards whose phase name contains {@code query}; returns the matching names in order. */
  search(query) {
    const q = (query || '').trim().toLowerCase();
    const names = [];
    this.canvas.querySelectorAll('.node').forEach((n) => {
      if (!q) { n.removeAttribute('data-match'); return; }
      const hit = n.dataset.phase.toLowerCase().includes(q);
      n.dataset.match = String(hit);
      if (hit && !names.includes(n.dataset.phase)) names.push(n.dataset.phase);
    });
    return names;
  }

  /** Scrolls a phase's (first) card into the middle of the view. */
  reveal(name) {
    const n = this.canvas.querySelector('.node' + attrSel('data-phase', name));
    if (n) this.zoom.reveal(n.offsetLeft, n.offsetTop, n.offsetWidth, n.offsetHeight);
  }
}

/** Splits layers longer than the row length that gives the graph the wrap's aspect ratio. */
function wrapRows(layers, count, wrap) {
  const aspect = Math.max(0.5, (wrap.clientWidth || 900) / Math.max(1, wrap.clientHeight || 540));
  const perRow = Math.max(3, Math.ceil(Math.sqrt(count * aspect * 170 / (NODE_W + GAP_X))));
  const rows = [];
  for (const l of layers) for (let i = 0; i < l.length; i += perRow) rows.push(l.slice(i, i + perRow));
  return rows;
}

function place(node, x, y) {
  const left = x + 'px', top = y + 'px';
  if (node.style.left !== left) node.style.left = left;
  if (node.style.top !== top) node.style.top = top;
}

/** A cubic curve and the point halfway along it (for its label). */
function curve(x1, y1, cx1, cy1, cx2, cy2, x2, y2) {
  return {
    d: `M${x1},${y1} C${cx1},${cy1} ${cx2},${cy2} ${x2},${y2}`,
    lx: (x1 + 3 * cx1 + 3 * cx2 + x2) / 8,
    ly: (y1 + 3 * cy1 + 3 * cy2 + y2) / 8,
  };
}

/** A loop from a card's right side back into its top: a phase that handed off to itself. */
function selfLoop(a) {
  const x1 = a.x + a.w, y1 = a.y + 22;
  const x2 = a.x + a.w - 36, y2 = a.y - 2;
  return {
    d: `M${x1},${y1} C${x1 + LOOP - 4},${y1} ${x2},${a.y - LOOP + 6} ${x2},${y2}`,
    lx: x1 + 6,
    ly: a.y - 8,
  };
}
