/*
 * The Graph tab's controls around the GraphView: definition or "as run", the filter, collapsing
 * repeats, the phase search (Enter goes to the next match and shows it), zoom buttons.
 */
import { $ } from './dom.js';
import { announce } from './a11y.js';
import { GraphView } from './graph-view.js';

export class GraphTab {
  constructor(onSelect) {
    this.onSelect = onSelect;
    this.opts = { mode: 'definition', filter: 'all', collapse: true, query: '' };
    this.matches = [];
    this.matchAt = -1;
    this.view = new GraphView({
      wrap: $('flow-graph'), stage: $('flow-stage'), canvas: $('flow-canvas'), svg: $('flow-edges'),
      minimap: $('minimap'), onSelect,
      onZoom: (z) => { $('zoom-level').textContent = Math.round(z * 100) + '%'; },
    });
    document.querySelectorAll('#view-graph [data-mode]').forEach((b) => b.addEventListener('click', () => {
      this.opts.mode = b.dataset.mode;
      document.querySelectorAll('#view-graph [data-mode]').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
      $('collapse-label').hidden = this.opts.mode !== 'run';
      this.view.zoomed = false;
      this.redraw();
    }));
    $('graph-filter').addEventListener('change', (e) => { this.opts.filter = e.target.value; this.redraw(); });
    $('graph-collapse').addEventListener('change', (e) => { this.opts.collapse = e.target.checked; this.redraw(); });
    const search = $('graph-search');
    search.addEventListener('input', () => {
      this.opts.query = search.value;
      this.matchAt = -1;
      this.showMatches(this.view.search(search.value));
    });
    search.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (!this.matches.length) return;
      this.matchAt = (this.matchAt + 1) % this.matches.length;
      const name = this.matches[this.matchAt];
      this.onSelect(name);
      this.view.reveal(name);
      announce(name + ', match ' + (this.matchAt + 1) + ' of ' + this.matches.length);
    });
    $('zoom-in').addEventListener('click', () => this.view.zoom.zoomIn());
    $('zoom-out').addEventListener('click', () => this.view.zoom.zoomOut());
    $('zoom-fit').addEventListener('click', () => this.view.zoom.fit());
    $('zoom-reset').addEventListener('click', () => this.view.zoom.set(1));
  }

  reset() {
    this.view.clear();
    this.data = null;
  }

  render(data, cascade, selected) {
    this.data = data;
    this.cascade = cascade;
    this.selected = selected;
    this.redraw();
  }

  redraw() {
    if (!this.data) return;
    const t0 = performance.now();
    const names = this.view.render(this.data, this.cascade, Object.assign({ selected: this.selected }, this.opts));
    $('view-graph').dataset.renderMs = String(Math.round(performance.now() - t0));
    this.showMatches(names);
  }

  select(name) {
    this.selected = name;
    this.view.markSelected(name);
  }

  showMatches(names) {
    this.matches = names;
    const q = this.opts.query.trim();
    $('graph-search-count').textContent = q ? (names.length ? names.length + ' match' + (names.length === 1 ? '' : 'es') + ' · Enter shows the next' : 'no phase matches') : '';
  }
}
