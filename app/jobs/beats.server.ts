// Each background job's pulse, per app instance, for the Status page: after a round, the job's
// last success or failure is written — at most every half minute per job (a job running every
// two seconds must not write every two seconds), and at once when its outcome changes.
import db from "../db.server";
import { processIdentity } from "../config.server";

const WRITE_EVERY_MS = 30_000;
const written = new Map<string, { at: number; ok: boolean }>();

export async function recordBeat(job: string, everyMs: number, outcome: { ok: true } | { ok: false; error: string }, now = new Date()) {
  const last = written.get(job);
  if (last && last.ok === outcome.ok && now.getTime() - last.at < WRITE_EVERY_MS) return;
  const instance = processIdentity().name;
  const fields = outcome.ok ? { lastOkAt: now } : { lastErrorAt: now, lastError: outcome.error.slice(0, 500) };
  await db.jobBeat.upsert({
    where: { instance_job: { instance, job } },
    create: { instance, job, everyMs, ...fields },
    update: { everyMs, ...fields },
  });
  written.set(job, { at: now.getTime(), ok: outcome.ok });
}

export interface JobHealth {
  job: string;
  everyMs: number;
  /** The latest successful round on any instance. */
  lastOkAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  /** A round succeeded recently enough (three periods, or a minute and a half for fast jobs). */
  alive: boolean;
  instances: number;
}

/** Every job's health across the instances that ran it in the last day. */
export async function jobHealth(now = new Date()): Promise<JobHealth[]> {
  const beats = await db.jobBeat.findMany({ where: { updatedAt: { gt: new Date(now.getTime() - 86_400_000) } }, orderBy: { job: "asc" } });
  const jobs = new Map<string, typeof beats>();
  for (const b of beats) jobs.set(b.job, [...(jobs.get(b.job) ?? []), b]);
  return [...jobs.entries()].map(([job, bs]) => {
    const latest = (pick: (b: (typeof bs)[number]) => Date | null) => bs.map(pick).reduce<Date | null>((a, d) => (d && (!a || d > a) ? d : a), null);
    const ok = latest((b) => b.lastOkAt);
    const failed = latest((b) => b.lastErrorAt);
    const everyMs = Math.max(...bs.map((b) => b.everyMs));
    const lastFailure = failed && bs.find((b) => b.lastErrorAt?.getTime() === failed.getTime());
    return {
      job,
      everyMs,
      lastOkAt: ok?.toISOString() ?? null,
      lastErrorAt: failed?.toISOString() ?? null,
      lastError: lastFailure?.lastError ?? null,
      alive: Boolean(ok && now.getTime() - ok.getTime() <= Math.max(3 * everyMs, 90_000) + WRITE_EVERY_MS),
      instances: bs.length,
    };
  });
}
