/*
 * Deep links: the URL fragment names the open session, tab and selected phase, exactly
 * #session=<id>&tab=graph|timeline|phases&phase=<name> (values percent-encoded). Links get
 * shared: this format is a contract.
 */

export const TABS = ['graph', 'timeline', 'phases'];

/** {session, tab, phase} from a fragment (with or without '#'); absent parts are null. */
export function parseLink(hash) {
  const out = { session: null, tab: null, phase: null };
  const text = (hash || '').replace(/^#/, '');
  if (!text) return out;
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.substring(0, eq);
    let value;
    try { value = decodeURIComponent(part.substring(eq + 1).replace(/\+/g, '%20')); } catch (e) { continue; }
    if (key === 'session' && value) out.session = value;
    else if (key === 'tab' && TABS.includes(value)) out.tab = value;
    else if (key === 'phase' && value) out.phase = value;
  }
  return out;
}

/** The fragment for a view; the tab is left out when it is not one of the linkable ones. */
export function formatLink({ session, tab, phase }) {
  if (!session) return '';
  let s = '#session=' + encodeURIComponent(session);
  if (tab && TABS.includes(tab)) s += '&tab=' + tab;
  if (phase) s += '&phase=' + encodeURIComponent(phase);
  return s;
}

/** Puts the view in the address bar without a history entry per click (and without a hashchange). */
export function writeLink(view) {
  const hash = formatLink(view);
  // a ?session= the page was opened with is replaced by the fragment: one place says what is open
  const query = new URLSearchParams(window.location.search);
  const hadQuery = query.has('session');
  query.delete('session');
  if (!hadQuery && (window.location.hash === hash || (!hash && !window.location.hash))) return;
  const search = query.toString();
  window.history.replaceState(null, '', window.location.pathname + (search ? '?' + search : '') + hash);
}

/** The view a page opened with: the fragment, else ?session= (sent by hand or by older links). */
export function initialLink() {
  const link = parseLink(window.location.hash);
  if (!link.session) {
    const q = new URLSearchParams(window.location.search).get('session');
    if (q) link.session = q;
  }
  return link;
}
