/*
 * Talking to the service: JSON requests whose failures carry a short human message (for the page)
 * and the technical one (for a details disclosure), and retries with backoff.
 */

/** A failed request: {@code status} (0 when the server was not reached), {@code human}, {@code detail}. */
export class ApiError extends Error {
  constructor(status, reason, detail, url) {
    super(detail);
    this.status = status;
    this.reason = reason || null;
    this.detail = detail;
    this.url = url;
    this.human = humanMessage(status, reason);
  }

  /** Whether trying again later may help (the server or its source is down or busy). */
  get transient() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

function humanMessage(status, reason) {
  if (status === 0) return 'The server cannot be reached.';
  if (status === 404) return 'Not found.';
  if (status === 400) return 'The request was not valid.';
  if (status === 504) return 'The server took too long to answer.';
  if (status === 503 && reason === 'overloaded') return 'The server is busy.';
  if (status === 503) return 'The log store is unavailable right now.';
  if (status === 501) return 'This log store cannot do that.';
  return 'The server could not answer (HTTP ' + status + ').';
}

export async function getJson(url, signal) {
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, null, 'network error: ' + (e && e.message ? e.message : String(e)), url);
  }
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    const err = body && body.error;
    // the service's shape is {"error": "...", "status": N, "reason"?}; accept {"error": {"message"}} too
    const detail = typeof err === 'string' ? err : err && err.message ? err.message : 'HTTP ' + res.status;
    const reason = (body && body.reason) || (err && err.reason) || null;
    throw new ApiError(res.status, reason, detail, url);
  }
  return body;
}

/** Waits before the n-th retry (0-based): 1 s, 2 s, 4 s, ... at most 30 s. */
export function backoff(attempt) {
  return Math.min(30_000, 1000 * Math.pow(2, Math.max(0, attempt)));
}

export const encode = encodeURIComponent;
