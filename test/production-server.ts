// The production server as users run it: the command of `npm start` (package.json), on the
// bundle that `remix build` wrote, in its own process with NODE_ENV=production. For the
// end-to-end suite (test/e2e/), the crash proof and the checkout bench.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once("error", reject);
  });

/** `npm start`'s command, as package.json says it. */
export function startCommand(): string {
  const pkg = JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as { scripts: Record<string, string> };
  return pkg.scripts.start;
}

export interface ProductionServer {
  url: string;
  child: ChildProcess;
  /** What the process wrote so far. */
  output(): string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `npm start`'s command with `env` on top of this process's environment and waits until
 * it says it is listening. `nodeOptions` go to NODE_OPTIONS (the crash proof's preload).
 */
export async function startProductionServer(o: { port: number; env: Record<string, string>; nodeOptions?: string }): Promise<ProductionServer> {
  const bin = join(process.cwd(), "node_modules", ".bin");
  // `exec`: the shell becomes the server, so signals reach it as they would from a supervisor.
  const child = spawn("/bin/sh", ["-c", `exec ${startCommand()}`], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      ...o.env,
      PORT: String(o.port),
      HOST: "127.0.0.1",
      PATH: `${bin}:${process.env.PATH}`,
      ...(o.nodeOptions ? { NODE_OPTIONS: o.nodeOptions } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += String(d)));
  child.stderr!.on("data", (d) => (output += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const onData = () => output.includes("Holdfast listening on") && resolve();
    child.stdout!.on("data", onData);
    void exited.then(({ code, signal }) => reject(new Error(`the production server exited while starting (${signal ?? code}):\n${output.slice(-3000)}`)));
  });
  return {
    url: `http://127.0.0.1:${o.port}`,
    child,
    exited,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
