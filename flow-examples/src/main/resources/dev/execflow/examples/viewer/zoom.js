/*
 * Zoom and pan of a canvas inside a scrolling wrap: the canvas is scaled with a CSS transform,
 * a stage of the scaled size gives the wrap its scroll range. Buttons, Ctrl+wheel, dragging the
 * background, and keys on the focused wrap (arrows pan, + and - zoom, 0 fits).
 */
const MIN = 0.02;
const MAX = 2;
const STEP = 1.25;

export class Zoom {
  /**
   * @param wrap the scrolling element
   * @param stage the element sized to the scaled canvas
   * @param canvas the element scaled
   * @param onChange called with the zoom after every change (and on scroll)
   */
  constructor(wrap, stage, canvas, onChange) {
    this.wrap = wrap;
    this.stage = stage;
    this.canvas = canvas;
    this.onChange = onChange || (() => {});
    this.z = 1;
    this.w = 0;
    this.h = 0;
    wrap.addEventListener('wheel', (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const r = wrap.getBoundingClientRect();
      this.set(this.z * (e.deltaY < 0 ? STEP : 1 / STEP), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    wrap.addEventListener('scroll', () => this.onChange(this.z));
    this.dragging(wrap);
    wrap.addEventListener('keydown', (e) => {
      if (e.target !== wrap) return;
      const pan = 60;
      if (e.key === '+' || e.key === '=') this.zoomIn();
      else if (e.key === '-') this.zoomOut();
      else if (e.key === '0') this.fit();
      else if (e.key === 'ArrowLeft') wrap.scrollLeft -= pan;
      else if (e.key === 'ArrowRight') wrap.scrollLeft += pan;
      else if (e.key === 'ArrowUp') wrap.scrollTop -= pan;
      else if (e.key === 'ArrowDown') wrap.scrollTop += pan;
      else return;
      e.preventDefault();
    });
  }

  /** The canvas's unscaled size changed (after a layout). */
  resize(w, h) {
    this.w = w;
    this.h = h;
    this.apply();
  }

  /** The zoom at which the whole canvas fits the wrap (never above 1). */
  fitZoom() {
    if (!this.w || !this.h) return 1;
    const cw = this.wrap.clientWidth, ch = this.wrap.clientHeight;
    return Math.max(MIN, Math.min(1, (cw - 2) / this.w, (ch - 2) / this.h));
  }

  fit() {
    this.set(this.fitZoom());
    this.wrap.scrollLeft = 0;
    this.wrap.scrollTop = 0;
  }

  zoomIn() { this.set(this.z * STEP); }

  zoomOut() { this.set(this.z / STEP); }

  /** Sets the zoom keeping the canvas point under (px, py) of the wrap (default: its centre) in place. */
  set(z, px, py) {
    const next = Math.max(MIN, Math.min(MAX, z));
    const wrap = this.wrap;
    const x = px === undefined ? wrap.clientWidth / 2 : px;
    const y = py === undefined ? wrap.clientHeight / 2 : py;
    const cx = (wrap.scrollLeft + x) / this.z, cy = (wrap.scrollTop + y) / this.z;
    this.z = next;
    this.apply();
    wrap.scrollLeft = cx * next - x;
    wrap.scrollTop = cy * next - y;
    this.onChange(this.z);
  }

  apply() {
    this.canvas.style.transform = this.z === 1 ? '' : 'scale(' + this.z + ')';
    this.stage.style.width = Math.ceil(this.w * this.z) + 'px';
    this.stage.style.height = Math.ceil(this.h * this.z) + 'px';
  }

  /** Scrolls so that the canvas rectangle (unscaled) is in the middle of the view. */
  reveal(x, y, w, h) {
    const wrap = this.wrap;
    wrap.scrollLeft = (x + w / 2) * this.z - wrap.clientWidth / 2;
    wrap.scrollTop = (y + h / 2) * this.z - wrap.clientHeight / 2;
  }

  /** The part of the canvas in view, unscaled. */
  viewport() {
    const wrap = this.wrap;
    return { x: wrap.scrollLeft / this.z, y: wrap.scrollTop / this.z,
      w: wrap.clientWidth / this.z, h: wrap.clientHeight / this.z };
  }

  dragging(wrap) {
    let start = null;
    wrap.addEventListener('pointerdown', (e) => {
      // only the background pans; cards and controls keep their clicks
      if (e.button !== 0 || e.target.closest('.node, button, input, select, a')) return;
      start = { x: e.clientX, y: e.clientY, left: wrap.scrollLeft, top: wrap.scrollTop, id: e.pointerId };
      wrap.setPointerCapture(e.pointerId);
      wrap.classList.add('panning');
    });
    wrap.addEventListener('pointermove', (e) => {
      if (!start || e.pointerId !== start.id) return;
      wrap.scrollLeft = start.left - (e.clientX - start.x);
      wrap.scrollTop = start.top - (e.clientY - start.y);
    });
    const end = (e) => {
      if (!start || e.pointerId !== start.id) return;
      start = null;
      wrap.classList.remove('panning');
    };
    wrap.addEventListener('pointerup', end);
    wrap.addEventListener('pointercancel', end);
  }
}
