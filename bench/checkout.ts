// `npm run bench:checkout`: complete checkouts per second through the saga, and the same step
// actions called directly with no saga log (the baseline), on SQLite and PostgreSQL, in one
// run. The last line printed is one JSON object; the target is an overhead ratio ≤ 1.5.
import { onEachDatabase } from "./databases";

console.log(JSON.stringify(await onEachDatabase("bench/checkout-run.ts", "holdfast-bench-checkout")));
