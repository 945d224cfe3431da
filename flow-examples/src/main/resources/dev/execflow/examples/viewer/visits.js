/*
 * The visits of a session's phases in time, from executionData alone: a visit starts at its
 * transition's time (the first at the first phase's start) and lasts until the next phase
 * starts; the last visit of the session until the session's end (while running: its newest row).
 * Only a phase's last visit can be running or have ended in its error; earlier ones handed off.
 */

/** [{phase, visit, visits, step, start, end, status}] in executed order. */
export function visitsOf(data) {
  const path = data.executedPath || [];
  const transitions = data.transitions || [];
  const s = data.summary || {};
  const counts = new Map();
  path.forEach((p) => counts.set(p, (counts.get(p) || 0) + 1));
  const first = path.length ? data.phases[path[0]] : null;
  const sessionStart = num(s.startedAt, first && first.startedAt);
  const sessionEnd = num(s.endedAt, num(s.startedAt, 0) + num(s.totalDuration, 0));
  const seen = new Map();
  const out = [];
  path.forEach((phase, i) => {
    const visit = (seen.get(phase) || 0) + 1;
    seen.set(phase, visit);
    const p = data.phases[phase] || {};
    const t = i === 0 ? null : transitions[i - 1];
    let start = i === 0 ? num(p.startedAt, sessionStart) : num(t && t.at, null);
    const next = transitions[i];
    const lastVisit = visit === counts.get(phase);
    let end = next && typeof next.at === 'number' ? next.at : sessionEnd;
    if (start === null) start = out.length ? out[out.length - 1].end : sessionStart;
    // a phase's end is its last visit's complete row, which may come before the next start
    if (lastVisit && typeof p.endedAt === 'number' && p.endedAt >= start && p.endedAt < end) end = p.endedAt;
    if (end < start) end = start;
    const status = lastVisit ? (p.status || 'completed') : 'completed';
    out.push({ phase, visit, visits: counts.get(phase), step: i + 1, start, end, status });
  });
  return out;
}

function num(v, fallback) {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** The visits of one phase. */
export function visitsOfPhase(data, phase) {
  return visitsOf(data).filter((v) => v.phase === phase);
}
