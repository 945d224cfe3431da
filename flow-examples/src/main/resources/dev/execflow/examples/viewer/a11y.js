/* Accessibility helpers: the live region, a focus trap, focusable elements. */
import { $ } from './dom.js';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), '
  + 'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** The elements of {@code root} that Tab reaches, in order, visible ones only. */
export function focusables(root) {
  return [...root.querySelectorAll(FOCUSABLE)].filter((e) => {
    if (e.closest('[hidden], [inert]')) return false;
    const r = e.getClientRects();
    return r.length > 0;
  });
}

/** Keeps Tab and Shift+Tab inside {@code root} while {@code active()} holds. */
export function trapFocus(root, active) {
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab' || !active()) return;
    const items = focusables(root);
    if (!items.length) { e.preventDefault(); return; }
    const first = items[0], last = items[items.length - 1];
    const inside = root.contains(document.activeElement);
    if (e.shiftKey && (document.activeElement === first || !inside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
      e.preventDefault();
      first.focus();
    }
  });
  // focus that lands outside (a click on the page behind, a script) comes back in
  document.addEventListener('focusin', (e) => {
    if (active() && !root.contains(e.target)) {
      const items = focusables(root);
      if (items.length) items[0].focus();
    }
  });
}

let lastText = '';
let lastAt = 0;

/**
 * Says {@code text} to screen readers through the polite live region. A repeat within a second is
 * dropped, so a burst of live updates is not read out one by one.
 */
export function announce(text) {
  const now = Date.now();
  if (text === lastText && now - lastAt < 1000) return;
  lastText = text;
  lastAt = now;
  const region = $('announcer');
  if (!region) return;
  region.textContent = '';
  // a new text node in a later frame is what screen readers pick up reliably
  requestAnimationFrame(() => { region.textContent = text; });
}
