/*
 * Building DOM nodes. Everything that comes from log data goes in through textContent or an
 * attribute, never as HTML.
 */

export const $ = (id) => document.getElementById(id);

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element with attributes ({@code text}, {@code class}, {@code onX} listeners) and children. */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAll(e, attrs);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

/** An SVG element with attributes ({@code text} sets its text). */
export function svgEl(tag, attrs, ...children) {
  const e = document.createElementNS(SVG_NS, tag);
  setAll(e, attrs);
  for (const c of children) if (c) e.appendChild(c);
  return e;
}

function setAll(e, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.setAttribute('class', v);
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.substring(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
}

/** Sets {@code e}'s text only when it differs (a rewrite would restart a selection in it). */
export function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

/** Sets an attribute only when it differs. */
export function setAttr(e, name, value) {
  const v = value === null || value === undefined ? null : String(value);
  if (v === null) {
    if (e.hasAttribute(name)) e.removeAttribute(name);
  } else if (e.getAttribute(name) !== v) {
    e.setAttribute(name, v);
  }
}

/** The CSS selector for an attribute value. */
export function attrSel(name, value) {
  return '[' + name + '="' + CSS.escape(String(value)) + '"]';
}
