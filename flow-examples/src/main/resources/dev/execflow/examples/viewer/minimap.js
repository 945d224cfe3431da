/*
 * The graph's minimap: every card as a small rectangle in its status colour and the part in view
 * as a frame; a click or drag on it moves the view there. Mouse only: the keyboard pans the wrap.
 */
import { svgEl } from './dom.js';

const WIDTH = 160;
const MAX_HEIGHT = 140;

export class Minimap {
  constructor(box, zoom) {
    this.box = box;
    this.zoom = zoom;
    this.scale = 1;
    this.svg = svgEl('svg', { class: 'minimap-svg', 'aria-hidden': 'true' });
    box.appendChild(this.svg);
    this.frame = null;
    let down = false;
    const go = (e) => {
      const r = this.svg.getBoundingClientRect();
      const x = (e.clientX - r.left) / this.scale, y = (e.clientY - r.top) / this.scale;
      const v = zoom.viewport();
      zoom.reveal(x - v.w / 2, y - v.h / 2, v.w, v.h);
    };
    this.svg.addEventListener('pointerdown', (e) => { down = true; this.svg.setPointerCapture(e.pointerId); go(e); });
    this.svg.addEventListener('pointermove', (e) => { if (down) go(e); });
    this.svg.addEventListener('pointerup', () => { down = false; });
  }

  /** Draws the cards ({x, y, w, h, status}) of a canvas of size w x h. */
  draw(boxes, w, h) {
    this.w = w;
    this.h = h;
    this.scale = Math.min(WIDTH / w, MAX_HEIGHT / h);
    const sw = Math.max(1, Math.round(w * this.scale)), sh = Math.max(1, Math.round(h * this.scale));
    this.svg.setAttribute('width', sw);
    this.svg.setAttribute('height', sh);
    this.svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    this.svg.textContent = '';
    for (const b of boxes) {
      this.svg.appendChild(svgEl('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 6, class: 'mm-node ' + (b.status || 'pending') }));
    }
    this.frame = svgEl('rect', { class: 'mm-frame', rx: 4 });
    this.svg.appendChild(this.frame);
    this.update();
  }

  /** Moves the frame to what is in view; hides the map when everything is. */
  update() {
    if (!this.frame) return;
    const v = this.zoom.viewport();
    const all = v.w >= this.w - 1 && v.h >= this.h - 1;
    this.box.hidden = all;
    this.frame.setAttribute('x', Math.max(0, v.x));
    this.frame.setAttribute('y', Math.max(0, v.y));
    this.frame.setAttribute('width', Math.min(this.w, v.w));
    this.frame.setAttribute('height', Math.min(this.h, v.h));
    this.frame.setAttribute('stroke-width', 2 / this.scale);
  }
}
