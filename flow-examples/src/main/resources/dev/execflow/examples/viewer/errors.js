/*
 * Failures as a person reads them: one short sentence, what happens next (a retry in N s, with a
 * button to retry now), and the technical message behind a "Details" disclosure.
 */
import { el } from './dom.js';
import { backoff } from './api.js';

/**
 * An element saying what failed.
 *
 * @param title what could not be done, e.g. "Could not load sessions."
 * @param err an ApiError (its human message and detail), or any Error
 * @param retry optional { onRetry, attempt }: a "Retry" button; for a transient failure the
 *     retry also runs by itself after a backoff, counted down in the text
 */
export function errorView(title, err, retry) {
  const human = err && err.human ? err.human : 'Something went wrong.';
  const box = el('div', { class: 'error-view', role: 'alert' },
    el('div', { class: 'error-title', text: title }),
    el('div', { class: 'error-human', text: human }));
  const next = el('div', { class: 'error-next' });
  box.appendChild(next);
  let timer = null;
  let countdown = null;
  if (retry && retry.onRetry) {
    const run = () => { stop(); retry.onRetry(); };
    next.appendChild(el('button', { class: 'btn', type: 'button', 'data-action': 'retry', text: 'Retry', onclick: run }));
    if (err && err.transient) {
      const wait = backoff(retry.attempt || 0);
      const due = Date.now() + wait;
      const note = el('span', { class: 'muted retry-note' });
      next.appendChild(note);
      const show = () => { note.textContent = 'Retrying in ' + Math.max(1, Math.ceil((due - Date.now()) / 1000)) + ' s'; };
      show();
      countdown = setInterval(show, 1000);
      timer = setTimeout(run, wait);
    }
  }
  const detail = err && (err.detail || err.message);
  if (detail) {
    box.appendChild(el('details', { class: 'error-details' },
      el('summary', { text: 'Details' }),
      el('pre', { text: detail + (err.status ? '\n(HTTP ' + err.status + (err.url ? ', ' + err.url : '') + ')' : '') })));
  }
  function stop() {
    if (timer) clearTimeout(timer);
    if (countdown) clearInterval(countdown);
    timer = countdown = null;
  }
  box.stopRetry = stop;
  return box;
}
