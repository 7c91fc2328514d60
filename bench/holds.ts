// `npm run bench:holds`: holds per second, p50/p99 and oversells on SQLite and PostgreSQL, each
// against the raw conditional UPDATE (the ceiling) and a lock-based read-check-write, measured
// in the same run. The last line printed is one JSON object.
import { onEachDatabase } from "./databases";

console.log(JSON.stringify(await onEachDatabase("bench/holds-run.ts", "holdfast-bench-holds")));
