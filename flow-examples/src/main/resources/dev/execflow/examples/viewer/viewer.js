/*
 * execflow viewer, the entry module: the instances page, the Flow modal and the deep link the
 * page was opened with. Plain ES modules, no build step and no libraries (served as static files
 * next to /api/). One concern per module:
 *
 *   dom, format, api, errors, a11y   building blocks
 *   instances                        the sessions grid
 *   modal                            the dialog, its tabs, selection, deep link, first load
 *   graph-model, graph-view,         the Graph tab: model and layout, drawing, controls,
 *   graph-tab, nodes, zoom, minimap  phase cards, zoom and pan, the minimap
 *   visits, timeline                 the Timeline tab
 *   phases-table                     the Phases tab
 *   panel, content                   the details panel and a phase's log content on demand
 *   compare                          the Compare tab
 *   live, patch                      following a running session
 *   summary                          the totals strip and what updates announce
 *   deeplink                         #session=<id>&tab=graph|timeline|phases&phase=<name>
 */
import { getJson } from './api.js';
import { initialLink, parseLink } from './deeplink.js';
import { InstancesPage } from './instances.js';
import { FlowModal } from './modal.js';

let definitions = null;
/** The cascade definitions, fetched once (an empty list where the server has none or fails). */
function loadDefinitions() {
  if (!definitions) {
    definitions = getJson('/api/cascade-definitions').then((d) => (Array.isArray(d) ? d : []), () => {
      definitions = null;
      return [];
    });
  }
  return definitions;
}

const modal = new FlowModal(loadDefinitions);
const instances = new InstancesPage((id, cascade, button) => modal.open(id, cascade, { opener: button }), loadDefinitions);

/** The seed's handler: open the flow modal for one session. */
function onVisualize(sessionId, cascadeId) {
  modal.open(sessionId, cascadeId, {});
}

/** The seed's fetch helper: cascade definition (may be absent) and execution data. */
async function fetchExecutionFlow(sessionId, cascadeId) {
  const [cascades, executionData] = await Promise.all([
    loadDefinitions(),
    getJson('/api/session/' + encodeURIComponent(sessionId) + '/execution-flow'),
  ]);
  const cascade = (cascades || []).find((c) => c.cascade_id === (cascadeId || executionData.cascadeId)) || null;
  return { cascade, executionData };
}

function openLink(link) {
  if (!link.session) {
    if (modal.isOpen()) modal.close();
    return;
  }
  if (modal.isOpen() && modal.m && modal.m.sessionId === link.session) modal.restore(link);
  else modal.open(link.session, null, { tab: link.tab, phase: link.phase });
}

// a link pasted into the address bar of an open page, or back/forward
window.addEventListener('hashchange', () => openLink(parseLink(window.location.hash)));

window.execflow = { onVisualize, fetchExecutionFlow, closeModal: () => modal.close() };
instances.load(false);
const start = initialLink();
if (start.session) openLink(start);
