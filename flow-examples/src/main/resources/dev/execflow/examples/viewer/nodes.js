/*
 * The phase cards of the graph and their inner diagram (sounding attempts, reforge steps, ward
 * badges). A card is updated in place: only parts whose content changed are replaced, so focus,
 * an open tooltip, a text selection and the running pulse survive a live update.
 */
import { el, setAttr, setText } from './dom.js';
import { fmtCost, fmtDuration, plural, truncate } from './format.js';

/** A new card for a phase of the definition graph. */
export function phaseNode(name, p, def, onSelect) {
  const node = el('div', { class: 'node', 'data-phase': name, tabindex: '0', role: 'button' });
  node.addEventListener('click', () => onSelect(name));
  node.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(name); }
  });
  node.appendChild(el('div', { class: 'head' }, el('span', { class: 'st', 'aria-hidden': 'true' }),
    el('span', { class: 'name', text: name })));
  node.appendChild(el('div', { class: 'statustext' }));
  fillNode(node, name, p, def);
  return node;
}

/** Sets a card's status, texts and inner diagram; parts whose content did not change stay as they are. */
export function fillNode(node, name, p, def) {
  const status = p ? p.status : 'pending';
  setAttr(node, 'data-status', status);
  setAttr(node, 'title', name + (def && def.instructions ? ' — ' + truncate(def.instructions, 240) : ''));
  const head = node.querySelector('.head');
  const visits = p && p.visits > 1 ? '×' + p.visits : '';
  let v = head.querySelector('.visits');
  if (visits && !v) head.appendChild(v = el('span', { class: 'visits' }));
  if (v && !visits) v.remove();
  if (v && visits) { setText(v, visits); setAttr(v, 'title', 'ran ' + p.visits + ' times'); }
  const statusText = status === 'running' && p && p.progress && p.progress.maxTurns
    ? 'running · turn ' + (p.progress.turnsDone || 0) + '/' + p.progress.maxTurns
    : status;
  setText(node.querySelector('.statustext'), statusText);
  replacePart(node, '.metrics', p && status !== 'pending'
    ? JSON.stringify([p.cost, p.duration, p.turnCount]) : '',
  () => el('div', { class: 'metrics' },
    el('span', { 'data-metric': 'cost' }, el('b', { text: fmtCost(p.cost) })),
    el('span', { 'data-metric': 'duration', text: fmtDuration(p.duration) }),
    el('span', { 'data-metric': 'turns', text: plural(p.turnCount, 'turn') })));
  replacePart(node, '.inner', JSON.stringify(p ? p.details || {} : {}), () => innerView(p));
}

/** A card of the "as run" graph: one visit of a phase (or a run of repeats) at its step. */
export function visitNode(n, p, onSelect) {
  const node = el('div', { class: 'node run', 'data-phase': n.phase, 'data-step': n.step, tabindex: '0', role: 'button' });
  node.addEventListener('click', () => onSelect(n.phase));
  node.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(n.phase); }
  });
  node.appendChild(el('div', { class: 'head' },
    el('span', { class: 'step-no' }),
    el('span', { class: 'st', 'aria-hidden': 'true' }),
    el('span', { class: 'name', text: n.phase })));
  node.appendChild(el('div', { class: 'statustext' }));
  fillVisitNode(node, n, p);
  return node;
}

export function fillVisitNode(node, n, p) {
  setAttr(node, 'data-status', n.status);
  const steps = n.repeats > 1 ? n.step + '–' + n.lastStep : String(n.step);
  setText(node.querySelector('.step-no'), steps);
  const visitText = p && p.visits > 1
    ? (n.repeats > 1 ? 'visits ' + n.visit + '–' + (n.visit + n.repeats - 1) : 'visit ' + n.visit) + ' of ' + p.visits
    : '';
  setText(node.querySelector('.statustext'), n.status + (visitText ? ' · ' + visitText : ''));
  setAttr(node, 'title', 'step ' + steps + ': ' + n.phase + (visitText ? ' (' + visitText + ')' : ''));
}

/** Replaces the part of {@code node} matching {@code selector} when its signature changed. */
function replacePart(node, selector, signature, make) {
  const old = node.querySelector(':scope > ' + selector);
  if (old && old.dataset.sig === signature) return;
  const next = signature === '' ? null : make();
  if (next) next.dataset.sig = signature;
  if (old && next) old.replaceWith(next);
  else if (old) old.remove();
  else if (next) {
    // the inner diagram comes last
    const inner = selector === '.inner' ? null : node.querySelector(':scope > .inner');
    node.insertBefore(next, inner);
  }
}

/** The phase's inner diagram: sounding attempts, reforge steps, wards. */
function innerView(p) {
  const d = (p && p.details) || {};
  const parts = [];
  if (d.soundings && d.soundings.attempts && d.soundings.attempts.length) {
    const chips = el('div', { class: 'chips', 'data-inner': 'soundings' }, el('span', { class: 'lbl', text: 'soundings' }));
    d.soundings.attempts.forEach((a) => {
      const win = d.soundings.winnerIndex === a.index;
      chips.appendChild(el('span', {
        class: 'chip' + (win ? ' winner' : ''), 'data-sounding': a.index, 'data-status': a.status,
        'data-winner': String(win),
        title: '#' + a.index + ' ' + a.status + ' · ' + fmtCost(a.cost) + (a.preview ? '\n' + a.preview : ''),
        text: (win ? '★ ' : '') + '#' + a.index,
      }));
    });
    parts.push(chips);
  }
  if (d.reforge && d.reforge.reforgeSteps && d.reforge.reforgeSteps.length) {
    const chips = el('div', { class: 'chips', 'data-inner': 'reforge' }, el('span', { class: 'lbl', text: 'reforge' }));
    d.reforge.reforgeSteps.forEach((s) => chips.appendChild(el('span', {
      class: 'chip', 'data-reforge-step': s.step, 'data-winner-index': s.winnerIndex,
      title: 'step ' + s.step + ': ' + (s.attempts || 0) + ' attempts, winner ' + (hasValue(s.winnerIndex) ? '#' + s.winnerIndex : 'not chosen yet'),
      text: 'step ' + s.step + (hasValue(s.winnerIndex) ? ' → #' + s.winnerIndex : ' …'),
    })));
    parts.push(chips);
  }
  const wards = d.wards || {};
  if (Object.keys(wards).length) {
    const chips = el('div', { class: 'chips', 'data-inner': 'wards' }, el('span', { class: 'lbl', text: 'wards' }));
    for (const [key, w] of Object.entries(wards)) chips.appendChild(wardBadge(key, w, true));
    parts.push(chips);
  }
  if (!parts.length) return null;
  return el('div', { class: 'inner' }, ...parts);
}

function hasValue(v) {
  return v !== null && v !== undefined;
}

/** Where a ward stands: passed, failed, blocked or not run. */
export function wardOutcome(w) {
  if (w.blocked) return 'blocked';
  if (w.valid === true) return 'passed';
  if (w.valid === false) return 'failed';
  return 'not run';
}

/**
 * A ward's badge: its validator's name (the key, e.g. post_1, where none was logged), a mark for
 * the outcome and its mode, styled so that an advisory failure does not look like a blocking one.
 */
export function wardBadge(key, w, compact) {
  const v = hasValue(w.valid) ? String(w.valid) : 'null';
  const outcome = wardOutcome(w);
  const mark = outcome === 'passed' ? '✓' : outcome === 'not run' ? '·' : '✗';
  const name = w.validator || key;
  const mode = w.mode || null;
  const said = w.valid === true ? 'passed' : w.valid === false || w.blocked ? 'failed' : 'not run';
  const tip = name + ' (' + key + (mode ? ', ' + mode : '') + '): ' + said
    + (w.blocked ? ', blocked the phase' : '') + (w.reason ? '\n' + w.reason : '');
  const label = (compact ? truncate(name, 18) : name) + (outcome === 'failed' && mode === 'advisory' ? ' (advisory)' : '');
  return el('span', {
    class: 'ward', 'data-ward': key, 'data-valid': v, 'data-blocked': String(!!w.blocked), 'data-mode': mode || 'unknown',
    title: tip, text: mark + ' ' + label + (w.blocked ? ' blocked' : ''),
  });
}
