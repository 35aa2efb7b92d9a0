'use strict';
// The virtual clock and timer queue of one scenario (observer side, trusted).
// Entries are timers (timeout, interval), immediates and fetch deliveries.
// Time only moves when the host takes the next entry, which it does once the
// answer's microtasks have drained: fake-timers style, so a 1.5 s response
// costs no real time and every run orders events the same way.
// Ordering follows Node: earliest due time first, ties in creation order;
// a timeout's delay is clamped to [1, 2^31-1] ms like Node's (0 -> 1).

const TIMEOUT_MAX = 2 ** 31 - 1;

class VirtualClock {
  constructor(maxEntries = 5000) {
    this.now = 0;
    this.maxEntries = maxEntries;
    this.entries = new Map();  // id -> {id, kind, due, seq, interval, ref}
    this.nextId = 1;
    this.seq = 0;
    this.flooded = false;
  }

  static clampDelay(delay) {
    const ms = typeof delay === 'number' ? delay : Number.NaN;
    return ms >= 1 && ms <= TIMEOUT_MAX ? Math.trunc(ms) : 1;
  }

  // Adds an entry; `delay` is already decided for immediates and fetches.
  add(kind, delay) {
    const id = this.nextId++;  // consumed even when refused: the runner numbers entries in step
    if (this.entries.size >= this.maxEntries) {
      this.flooded = true;
      return id;  // an id that never fires
    }
    const isTimer = kind === 'timeout' || kind === 'interval';
    const ms = isTimer ? VirtualClock.clampDelay(delay) : Math.max(0, delay);
    this.entries.set(id, { id, kind, due: this.now + ms, seq: this.seq++, delay: ms, ref: true });
    return id;
  }

  // Timers and immediates may be cleared by the answer; a fetch delivery
  // only by its own abort signal (`allowFetch`).
  clear(id, allowFetch = false) {
    const entry = this.entries.get(id);
    if (!entry || (entry.kind === 'fetch' && !allowFetch)) return false;
    this.entries.delete(id);
    return true;
  }

  setRef(id, ref) {
    const entry = this.entries.get(id);
    if (entry && entry.kind !== 'fetch') entry.ref = ref === true;
  }

  hasRef(id) {
    const entry = this.entries.get(id);
    return entry ? entry.ref : false;
  }

  refresh(id) {
    const entry = this.entries.get(id);
    if (entry && entry.kind === 'timeout') {
      entry.due = this.now + entry.delay;
      entry.seq = this.seq++;
    }
  }

  // The next entry to run, or null when nothing keeps the process alive
  // (no entries, or only unref'd timers: Node would exit then too).
  peek() {
    let best = null;
    let alive = false;
    for (const entry of this.entries.values()) {
      if (entry.ref) alive = true;
      if (!best || entry.due < best.due || (entry.due === best.due && entry.seq < best.seq)) best = entry;
    }
    return alive ? best : null;
  }

  // Advances time to `entry` and removes it (an interval is re-armed).
  take(entry) {
    this.now = Math.max(this.now, entry.due);
    if (entry.kind === 'interval') {
      entry.due = this.now + entry.delay;
      entry.seq = this.seq++;
    } else {
      this.entries.delete(entry.id);
    }
  }
}

module.exports = { VirtualClock, TIMEOUT_MAX };
