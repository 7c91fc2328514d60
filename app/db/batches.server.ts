// Work that arrives while a batch is running waits and forms the next batch: nobody waits for a
// timer, the first item goes at once. Shared by SQLite's group commit and PostgreSQL's hold
// placement (decisions 007 and 017).
export function batchesOf<T>(runBatch: (batch: T[]) => Promise<void>, maxBatch: number): (item: T) => void {
  const queue: T[] = [];
  let running = false;
  async function drain() {
    running = true;
    try {
      while (queue.length) await runBatch(queue.splice(0, maxBatch));
    } finally {
      running = false;
    }
  }
  return (item) => {
    queue.push(item);
    if (!running) void drain();
  };
}
