/*
 * Following a running session: server-sent events from /api/session/{id}/events, each patching
 * the executionData; polling execution-flow where the stream fails before its first event or the
 * browser has no EventSource. Failures retry with backoff and say so briefly (details on demand).
 * A pause holds the picture still while events keep coming in; resuming shows the latest.
 */
import { backoff, encode, getJson } from './api.js';
import { fmtDuration } from './format.js';
import { patched } from './patch.js';

const POLL_MS = 2000;
const EVENT_TYPES = ['snapshot', 'phase_start', 'phase_complete', 'phase_error', 'cost', 'sounding_complete',
  'sounding_winner', 'reforge_winner', 'ward', 'turn', 'cascade_complete', 'cascade_error', 'stalled',
  'heartbeat', 'final'];

export class LiveFollow {
  /**
   * @param hooks {onData(data), onTick(extraSeconds), status(kind, text, detail), mode(live)}:
   *     status tells the indicator what to say; mode sets #flow-body[data-live]
   */
  constructor(sessionId, hooks) {
    this.sessionId = sessionId;
    this.hooks = hooks;
    this.source = null;
    this.polling = false;
    this.timer = null;
    this.ticker = null;
    this.stalled = false;
    this.failing = false;
    this.paused = false;
    this.waiting = 0;
    this.failures = 0;
    this.stopped = false;
  }

  /** The data now shown (after the first load or a poll); the stream patches it. */
  known(data) {
    this.data = data;
    this.dataAt = Date.now();
  }

  start() {
    if (this.stopped) return;
    if (this.source || this.polling) return;
    if (typeof window.EventSource !== 'function') { this.poll(); return; }
    this.connect();
    if (!this.ticker) this.ticker = setInterval(() => this.tick(), 1000);
  }

  connect() {
    const es = new EventSource('/api/session/' + encode(this.sessionId) + '/events');
    this.source = es;
    this.streamed = false;
    this.hooks.mode('connecting');
    const onEvent = (e) => {
      if (this.stopped) { es.close(); return; }
      this.streamed = true;
      this.failures = 0;
      let ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      this.handle(ev);
    };
    EVENT_TYPES.forEach((t) => es.addEventListener(t, onEvent));
    es.onerror = () => {
      if (this.stopped) { es.close(); return; }
      if (!this.streamed) {
        // the server cannot stream: poll instead
        es.close();
        this.source = null;
        this.poll();
      } else if (es.readyState === EventSource.CLOSED) {
        // the browser gave up reconnecting (an error answer): try again later, a fresh stream
        this.source = null;
        const wait = backoff(this.failures++);
        this.hooks.status('retrying', 'Live · connection lost, retrying in ' + Math.round(wait / 1000) + ' s',
          'the event stream closed; the browser did not reconnect');
        this.timer = setTimeout(() => { if (!this.stopped) this.connect(); }, wait);
      } else {
        this.hooks.status('retrying', 'Live · reconnecting…', null);
      }
    };
  }

  stop() {
    this.stopped = true;
    if (this.source) { this.source.close(); this.source = null; }
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (this.ticker) { clearInterval(this.ticker); this.ticker = null; }
  }

  /** Ends the follow because the session ended (the stream's final, or a poll's finished data). */
  ended() {
    this.stop();
    this.hooks.mode('ended');
  }

  setPaused(paused) {
    this.paused = paused;
    if (!paused && this.waiting) {
      this.waiting = 0;
      this.hooks.onData(this.data);
    }
    this.say();
  }

  handle(ev) {
    this.hooks.mode(this.stalled && ev.type === 'stalled' ? 'stalled' : 'sse');
    this.hooks.lastEvent(ev.id);
    if (ev.type === 'stalled') {
      this.stalled = true;
      this.hooks.mode('stalled');
      this.hooks.status('stalled', 'Stalled · no new log rows for ' + fmtDuration(ev.idleSeconds || 0), null);
      return;
    }
    if (ev.type === 'heartbeat') {
      if (ev.error) {
        this.failing = true;
        this.hooks.status('retrying', 'Live · the log source is failing, retrying', ev.error);
      } else if (this.stalled) {
        this.unstall();
      } else if (this.failing) {
        // the source answers again
        this.failing = false;
        this.say();
      }
      return;
    }
    this.failing = false;
    if (this.stalled) this.unstall();
    if (ev.type === 'snapshot' || ev.type === 'final') {
      if (ev.executionData) this.data = ev.executionData;
    } else if (this.data) {
      this.data = patched(this.data, ev);
    }
    this.dataAt = Date.now();
    if (this.paused) this.waiting++;
    else if (this.data) this.hooks.onData(this.data);
    if (ev.type === 'final') {
      if (this.paused) { this.paused = false; this.waiting = 0; this.hooks.onData(this.data); }
      this.ended();
    } else {
      this.say();
    }
  }

  unstall() {
    this.stalled = false;
    this.hooks.mode('sse');
    this.say();
  }

  /** The indicator's text for the normal states. */
  say() {
    if (this.stalled) return;
    if (this.paused) {
      this.hooks.status('paused', 'Paused' + (this.waiting ? ' · ' + this.waiting + ' update' + (this.waiting === 1 ? '' : 's') + ' waiting' : ''), null);
    } else {
      this.hooks.status('live', 'Live · updated ' + new Date().toLocaleTimeString('en-GB'), null);
    }
  }

  poll() {
    this.polling = true;
    this.hooks.mode('polling');
    this.schedule(POLL_MS);
  }

  schedule(wait) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      if (this.stopped) return;
      try {
        const data = await getJson('/api/session/' + encode(this.sessionId) + '/execution-flow');
        if (this.stopped) return;
        this.failures = 0;
        this.known(data);
        if (this.paused) { this.waiting++; this.say(); } else this.hooks.onData(data);
        if (data.summary.status === 'running') {
          if (!this.paused) this.say();
          this.schedule(POLL_MS);
        } else {
          if (this.paused) this.setPaused(false);
          this.ended();
        }
      } catch (e) {
        // keep the last good picture and try again, later each time
        if (this.stopped) return;
        const next = backoff(this.failures++);
        this.hooks.status('retrying', 'Live · ' + (e.human || 'update failed').replace(/\.$/, '').toLowerCase()
          + ', retrying in ' + Math.round(next / 1000) + ' s', e.detail || e.message);
        this.schedule(next);
      }
    }, wait);
  }

  /** The running phase's and the session's durations grow between events. */
  tick() {
    if (this.stopped || this.paused || this.stalled || !this.data || this.data.summary.status !== 'running') return;
    this.hooks.onTick(this.data, (Date.now() - this.dataAt) / 1000);
  }
}
