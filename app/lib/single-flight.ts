// One call in flight per key: callers asking for the same thing while it is being fetched share
// the answer (or the failure) instead of each asking Shopify again. Twenty shoppers applying the
// same new discount code at once are one Admin API query, not twenty against the shop's budget.
export function singleFlight<T>() {
  const inFlight = new Map<string, Promise<T>>();
  return (key: string, fetch: () => Promise<T>): Promise<T> => {
    const running = inFlight.get(key);
    if (running) return running;
    const started = fetch().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}

/**
 * One run in flight per key, and at most one waiting: a caller gets a run that starts after its
 * call, so whatever it wrote before calling is seen; callers arriving while a run is in flight
 * share the next one. Twenty holds placed at once are two writes of the state, not twenty.
 */
export function coalesced<T>() {
  const running = new Map<string, Promise<T>>();
  const waiting = new Map<string, Promise<T>>();
  const start = (key: string, run: () => Promise<T>): Promise<T> => {
    const started = run().finally(() => {
      if (running.get(key) === started) running.delete(key);
    });
    running.set(key, started);
    return started;
  };
  return (key: string, run: () => Promise<T>): Promise<T> => {
    const queued = waiting.get(key);
    if (queued) return queued;
    const current = running.get(key);
    if (!current) return start(key, run);
    const next = current
      .catch(() => undefined)
      .then(() => {
        waiting.delete(key);
        return start(key, run);
      });
    waiting.set(key, next);
    return next;
  };
}
