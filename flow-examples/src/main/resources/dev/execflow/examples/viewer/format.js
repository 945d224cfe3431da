/* Numbers and times as a person reads them. */

export function fmtCost(c) {
  if (c === null || c === undefined || Number.isNaN(c)) return '–';
  if (c === 0) return '$0';
  const a = Math.abs(c);
  const sign = c < 0 ? '-' : '';
  if (a < 0.0001) return sign + '<$0.0001';
  if (a < 1) return sign + '$' + a.toFixed(4);
  return sign + '$' + a.toFixed(2);
}

export function fmtDuration(s) {
  if (s === null || s === undefined || Number.isNaN(s)) return '–';
  if (s < 0) return '-' + fmtDuration(-s);
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) {
    const m = Math.floor(s / 60), r = Math.round(s % 60);
    return r === 60 ? (m + 1) + 'm 00s' : m + 'm ' + String(r).padStart(2, '0') + 's';
  }
  const h = Math.floor(s / 3600), m = Math.round((s % 3600) / 60);
  return m === 60 ? (h + 1) + 'h 00m' : h + 'h ' + String(m).padStart(2, '0') + 'm';
}

export function fmtStarted(iso) {
  if (!iso) return '–';
  return iso.replace('T', ' ').replace(/\.\d+/, '').replace('Z', '');
}

/** Epoch seconds as UTC clock time, e.g. 10:04:05.2. */
export function fmtClock(epochSeconds, withTenths) {
  if (typeof epochSeconds !== 'number' || !Number.isFinite(epochSeconds)) return '–';
  const d = new Date(epochSeconds * 1000);
  const t = d.toISOString().substring(11, withTenths ? 21 : 19);
  return t;
}

export function truncate(text, n) {
  const t = String(text).replace(/\s+/g, ' ').trim();
  return t.length > n ? t.substring(0, n - 1) + '…' : t;
}

export function fmtInt(n) {
  return (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US');
}

/** A share of a whole as a percentage with one decimal, e.g. 12.5 %. */
export function fmtShare(part, whole) {
  if (!whole || part === null || part === undefined) return '–';
  return (100 * part / whole).toFixed(1) + ' %';
}

/** A signed delta: +$0.0012, -3.0 s, +2. */
export function fmtDelta(value, format) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value === 0) return '±0';
  const text = format(Math.abs(value));
  return (value > 0 ? '+' : '−') + text;
}

/** "1 turn", "2 turns". */
export function plural(n, one, many) {
  return n + ' ' + (n === 1 ? one : (many || one + 's'));
}
