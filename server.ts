// `npm start`: the production server. Remix bundles this file with the app into
// build/index.js (remix.config.js `server`), so the server and the routes share one module graph.
import * as build from "@remix-run/dev/server-build";
import { runProductionServer } from "./app/server/main.server";

await runProductionServer(build as never);
