// `npm run bench:checkout`: complete checkouts per second through the production server (the
// built app under `npm start`, over HTTP), through the saga in process, and as the same step
// actions called directly with no saga log (the baseline), on SQLite and PostgreSQL, in one run.
// The last line printed is one JSON object; the target is an overhead ratio ≤ 1.5.
import { spawnSync } from "node:child_process";
import { onEachDatabase } from "./databases";

const built = spawnSync("remix", ["build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
if (built.status !== 0) throw new Error("remix build failed");

console.log(JSON.stringify(await onEachDatabase("bench/checkout-run.ts", "holdfast-bench-checkout")));
