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
