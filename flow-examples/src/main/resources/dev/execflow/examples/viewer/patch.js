/*
 * One live event applied to the executionData (the next snapshot or final replaces it whole). A
 * pure function: the data given is not changed.
 */

export function patched(data, ev) {
  const d = JSON.parse(JSON.stringify(data));
  const s = d.summary;
  const blank = () => ({ status: 'running', cost: 0, duration: 0, turnCount: 0, soundingWinner: null,
    details: { wards: {} }, visits: 0, startedAt: ev.timestamp, endedAt: null, tokensIn: 0, tokensOut: 0,
    models: [], rowCount: 0, declaredHandoffs: [], subCascades: [] });
  const p = ev.phase ? (d.phases[ev.phase] = d.phases[ev.phase] || blank()) : null;
  const details = p ? (p.details = p.details || { wards: {} }) : null;
  // the fold's rule: a running phase (and the session) lasts until the newest row
  if (typeof ev.timestamp === 'number' && typeof s.startedAt === 'number' && ev.type !== 'stalled') {
    const grown = ev.timestamp - (s.startedAt + (s.totalDuration || 0));
    if (grown > 0) {
      s.totalDuration = (s.totalDuration || 0) + grown;
      Object.values(d.phases).forEach((q) => { if (q.status === 'running') q.duration = (q.duration || 0) + grown; });
    }
  }
  switch (ev.type) {
    case 'phase_start': {
      const last = d.executedPath[d.executedPath.length - 1];
      if (p.status === 'pending' || !p.visits) s.phaseCount = (s.phaseCount || 0) + (p.visits ? 0 : 1);
      p.status = 'running';
      p.visits = ev.visit || (p.visits || 0) + 1;
      p.endedAt = null;
      if (typeof ev.duration === 'number') p.duration = ev.duration;
      if (p.startedAt === null || p.startedAt === undefined) p.startedAt = ev.timestamp;
      if (last !== undefined) {
        (d.transitions = d.transitions || []).push({ from: last, to: ev.phase, at: ev.timestamp });
        (d.executedHandoffs = d.executedHandoffs || {})[last] = ev.phase;
        if (Array.isArray(d.edges)) {
          const e = d.edges.find((x) => x.from === last && x.to === ev.phase);
          if (e) e.taken = true; else d.edges.push({ from: last, to: ev.phase, declared: false, taken: true });
        }
      }
      d.executedPath.push(ev.phase);
      break;
    }
    case 'phase_complete':
    case 'phase_error':
      p.status = ev.type === 'phase_complete' ? 'completed' : 'error';
      p.endedAt = ev.timestamp;
      if (typeof ev.duration === 'number') p.duration = ev.duration;
      if (ev.error) p.error = ev.error;
      break;
    case 'cost':
      if (p) p.cost = ev.cost;
      s.totalCost = ev.totalCost;
      s.tokensIn = ev.tokensIn;
      s.tokensOut = ev.tokensOut;
      break;
    case 'turn':
      p.turnCount = ev.turnCount;
      if (ev.maxTurns !== undefined) p.maxTurns = ev.maxTurns;
      break;
    case 'sounding_complete': {
      const so = details.soundings = details.soundings || { winnerIndex: null, attempts: [] };
      const a = so.attempts.find((x) => x.index === ev.soundingIndex);
      const next = { index: ev.soundingIndex, status: ev.status, preview: ev.preview || null, cost: ev.cost || 0,
        winner: so.winnerIndex === ev.soundingIndex };
      if (a) Object.assign(a, next); else so.attempts.push(next);
      so.attempts.sort((x, y) => x.index - y.index);
      break;
    }
    case 'sounding_winner': {
      const so = details.soundings = details.soundings || { winnerIndex: null, attempts: [] };
      so.winnerIndex = ev.winnerIndex;
      p.soundingWinner = ev.winnerIndex;
      so.attempts.forEach((a) => { a.winner = a.index === ev.winnerIndex; });
      break;
    }
    case 'reforge_winner': {
      const rf = details.reforge = details.reforge || { reforgeSteps: [], thresholdMet: false };
      const step = rf.reforgeSteps.find((x) => x.step === ev.step);
      if (step) step.winnerIndex = ev.winnerIndex;
      else rf.reforgeSteps.push({ step: ev.step, winnerIndex: ev.winnerIndex, attempts: 0, cost: 0 });
      rf.reforgeSteps.sort((x, y) => x.step - y.step);
      break;
    }
    case 'ward':
      details.wards = details.wards || {};
      details.wards[ev.ward] = Object.assign({}, details.wards[ev.ward], { valid: ev.valid, reason: ev.reason });
      break;
    case 'cascade_complete':
    case 'cascade_error':
      s.status = ev.type === 'cascade_complete' ? 'completed' : 'error';
      s.endedAt = ev.timestamp;
      if (typeof ev.totalCost === 'number') s.totalCost = ev.totalCost;
      break;
    default:
      break;
  }
  return d;
}
