/*
 * The modal's totals strip, and what a live update says to screen readers: phases that started,
 * completed or failed, the session's status, and its cost (cost alone at most every 10 s).
 */
import { announce } from './a11y.js';
import { el } from './dom.js';
import { fmtCost, fmtDuration, fmtInt } from './format.js';

const COST_ONLY_EVERY_MS = 10_000;
let lastCostAnnounced = 0;

export function renderSummary(box, data, previous) {
  const s = data.summary;
  box.textContent = '';
  const phasesText = (s.totalPhases ? s.phaseCount + ' / ' + s.totalPhases : String(s.phaseCount));
  const tokens = (s.tokensIn || 0) + (s.tokensOut || 0);
  const stats = [
    ['status', 'Status', null, el('span', { class: 'badge ' + s.status, text: s.status })],
    ['phases', 'Phases', phasesText],
    ['visits', 'Steps', fmtInt((data.executedPath || []).length)],
    ['cost', 'Total cost', fmtCost(s.totalCost)],
    ['duration', 'Duration', fmtDuration(s.totalDuration)],
    ['tokens', 'Tokens', fmtInt(tokens)],
    ['rows', 'Log rows', fmtInt(s.rowCount)],
  ];
  if (data.warnings && data.warnings.count > 0) stats.push(['warnings', 'Warnings', String(data.warnings.count)]);
  const prev = previous && previous.summary;
  for (const [key, label, text, node] of stats) {
    const v = el('div', { class: 'v', 'data-summary': key }, node || text);
    if (key === 'cost') v.dataset.value = String(s.totalCost);
    if (prev && key === 'cost' && prev.totalCost !== s.totalCost) v.classList.add('changed');
    if (prev && key === 'duration' && prev.totalDuration !== s.totalDuration) v.classList.add('changed');
    const stat = el('div', { class: 'stat' }, el('div', { class: 'k', text: label }), v);
    if (key === 'warnings') stat.title = (data.warnings.samples || []).join('\n');
    box.appendChild(stat);
  }
  if (previous) announceChanges(data, previous);
}

function announceChanges(data, previous) {
  const parts = [];
  for (const [name, p] of Object.entries(data.phases)) {
    const before = previous.phases[name];
    const was = before ? before.status : 'pending';
    if (p.status === was) continue;
    if (p.status === 'running') parts.push('Phase ' + name + ' started');
    else if (p.status === 'completed') parts.push('Phase ' + name + ' completed');
    else if (p.status === 'error') parts.push('Phase ' + name + ' failed');
  }
  const s = data.summary, ps = previous.summary;
  if (s.status !== ps.status) parts.push('Session ' + s.status);
  const costChanged = s.totalCost !== ps.totalCost;
  const now = Date.now();
  if (parts.length) {
    if (costChanged || s.status !== ps.status) parts.push('total cost ' + fmtCost(s.totalCost));
    lastCostAnnounced = now;
    announce(parts.join('. ') + '.');
  } else if (costChanged && now - lastCostAnnounced >= COST_ONLY_EVERY_MS) {
    lastCostAnnounced = now;
    announce('Total cost ' + fmtCost(s.totalCost) + '.');
  }
}
