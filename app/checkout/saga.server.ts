// A durable saga runner (orchestration): a saga is the list of its steps, each an action and a
// compensation. Runs and every step attempt are stored; a run moves forward one step at a time
// under a lease, so any instance may pick up a run another left (crash recovery); a step that
// keeps failing, or fails for good, has the completed steps compensated in reverse order; a
// compensation that keeps failing parks the run as `stuck` with a finding for the reconciler,
// never forgotten. Each step gets an idempotency key derived from the run and the step, to pass
// downstream (Stripe Idempotency-Key, Shopify @idempotent). See docs/decisions/015-checkout-saga.md.
import { randomUUID } from "node:crypto";
import db from "../db.server";
import { isUniqueViolation } from "../lib/db-errors.server";

export type SagaState = "running" | "waiting" | "compensating" | "completed" | "compensated" | "stuck";

export interface StepContext<I> {
  shop: string;
  runId: string;
  input: I;
  /** Results of the steps before this one, by step name. */
  results: Record<string, unknown>;
  /** `${runId}:${step}`: the same on every attempt, so downstream calls are applied once. */
  idempotencyKey: string;
  attempt: number;
  /** Aborted when the step's time is up. */
  signal: AbortSignal;
}

/** A failure no retry can fix: the saga compensates at once. */
export class PermanentStepFailure extends Error {
  constructor(message: string, readonly code = "step_failed") {
    super(message);
    this.name = "PermanentStepFailure";
  }
}

/** Returned by an action that must wait for something outside (the shopper confirming payment). */
export class WaitFor {
  constructor(readonly event: string) {}
}

export interface Step<I> {
  name: string;
  action: (ctx: StepContext<I>) => Promise<unknown>;
  /** Undoes the action. Runs with the action's result, or undefined when the action failed (it may have half happened). */
  compensation?: (ctx: StepContext<I>, result: unknown) => Promise<void>;
  timeoutMs?: number;
  maxAttempts?: number;
}

export interface Saga<I> { name: string; steps: Step<I>[] }

export const step = <I>(name: string, definition: Omit<Step<I>, "name">): Step<I> => ({ name, ...definition });
export const saga = <I>(name: string, steps: Step<I>[]): Saga<I> => {
  if (new Set(steps.map((s) => s.name)).size !== steps.length) throw new Error(`saga ${name}: step names must be unique`);
  return { name, steps };
};

export interface RunnerOptions {
  /**
   * Who holds leases: unique among the instances running at one time. A stable one (the
   * instance's name, kept across restarts) lets a restarted instance take back at once the
   * runs it was moving when it died, instead of waiting for their leases to run out.
   */
  owner?: string;
  leaseMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  compensationAttempts?: number;
  random?: () => number;
  log?: (message: string) => void;
  /** Test hook: called at every step boundary; throwing from it simulates a crash there. */
  onBoundary?: (boundary: { runId: string; step: string; phase: "action" | "compensation"; when: "before" | "after" }) => void;
}

type RunRow = NonNullable<Awaited<ReturnType<typeof db.sagaRun.findUnique>>>;

export class SagaRunner {
  private readonly sagas = new Map<string, Saga<unknown>>();
  private readonly owner: string;
  private readonly o: Required<Omit<RunnerOptions, "onBoundary">> & Pick<RunnerOptions, "onBoundary">;

  constructor(options: RunnerOptions = {}) {
    this.owner = options.owner ?? `runner-${randomUUID()}`;
    this.o = {
      owner: this.owner, leaseMs: 60_000, baseDelayMs: 200, maxDelayMs: 60_000, compensationAttempts: 8, random: Math.random,
      log: (m) => console.error(m), ...options,
    };
  }

  /** Test hook: observes every step boundary (a crash test kills the process at one). */
  observeBoundaries(hook: RunnerOptions["onBoundary"]): void {
    this.o.onBoundary = hook;
  }

  /**
   * At start-up: leases this owner held belong to a previous life of this instance (it died
   * moving those runs), so they are released now rather than when they run out.
   */
  async releaseLeasesOfPreviousLife(): Promise<number> {
    const { count } = await db.sagaRun.updateMany({ where: { leaseOwner: this.owner }, data: { leaseOwner: null, leaseUntil: null } });
    return count;
  }

  register<I>(definition: Saga<I>): this {
    this.sagas.set(definition.name, definition as Saga<unknown>);
    return this;
  }

  /**
   * Starts a run for `key`, or returns the active run for it (a second start of the same
   * checkout is the same run). Then moves it as far as it can go now.
   */
  async start<I>(definition: Saga<I>, shop: string, key: string, input: I): Promise<{ run: SagaView; created: boolean }> {
    const activeKey = `${shop}|${definition.name}|${key}`;
    let created = false;
    let id: string;
    try {
      const row = await db.sagaRun.create({ data: { id: randomUUID(), shop, saga: definition.name, key, activeKey, input: JSON.stringify(input), state: "running" } });
      id = row.id;
      created = true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await db.sagaRun.findUnique({ where: { activeKey } });
      if (!existing) return this.start(definition, shop, key, input); // it ended meanwhile
      id = existing.id;
    }
    await this.advance(id);
    return { run: await this.view(shop, id), created };
  }

  /**
   * Creates the run for `key` (or finds the active one) without moving it: for callers that must
   * record it in their own transaction (an Idempotency-Key answer) and `advance` it after the commit.
   */
  async createRun<I>(definition: Saga<I>, shop: string, key: string, input: I, client: Pick<typeof db, "sagaRun"> = db): Promise<{ id: string; created: boolean }> {
    const activeKey = `${shop}|${definition.name}|${key}`;
    const existing = await client.sagaRun.findUnique({ where: { activeKey } });
    if (existing) return { id: existing.id, created: false };
    const row = await client.sagaRun.create({ data: { id: randomUUID(), shop, saga: definition.name, key, activeKey, input: JSON.stringify(input), state: "running" } });
    return { id: row.id, created: true };
  }

  /**
   * The outside event a waiting run expects: the waiting step completes with `payload` as its
   * result. An event that arrives while the run is still on its way to waiting (a webhook faster
   * than the step that waits for it) is kept and used when the run gets there.
   */
  async signal(shop: string, runId: string, event: string, payload: unknown = null): Promise<boolean> {
    const run = await db.sagaRun.findFirst({ where: { id: runId, shop } });
    if (!run) return false;
    if (run.state === "running") {
      const signals = { ...JSON.parse(run.signals), [event]: payload };
      const { count } = await db.sagaRun.updateMany({ where: { id: runId, state: "running", signals: run.signals }, data: { signals: JSON.stringify(signals) } });
      if (!count) return this.signal(shop, runId, event, payload); // it moved meanwhile: look again
      // It may have started waiting between our read and our write: then take it from here.
      const now = await db.sagaRun.findUniqueOrThrow({ where: { id: runId } });
      if (now.state === "waiting" && now.waitingFor === event) return this.resumeWithEarlySignal(now);
      return true;
    }
    if (run.state !== "waiting" || run.waitingFor !== event) return false;
    return this.resume(run, event, payload);
  }

  private async resumeWithEarlySignal(run: RunRow): Promise<boolean> {
    const signals = JSON.parse(run.signals) as Record<string, unknown>;
    if (!run.waitingFor || !(run.waitingFor in signals)) return false;
    return this.resume(run, run.waitingFor, signals[run.waitingFor]);
  }

  private async resume(run: RunRow, event: string, payload: unknown): Promise<boolean> {
    const runId = run.id;
    const definition = this.definition(run.saga);
    const results = { ...JSON.parse(run.results), [definition.steps[run.step].name]: payload };
    const signals = JSON.parse(run.signals) as Record<string, unknown>;
    delete signals[event];
    const { count } = await db.sagaRun.updateMany({
      where: { id: runId, state: "waiting", waitingFor: event },
      data: { state: "running", waitingFor: null, results: JSON.stringify(results), signals: JSON.stringify(signals), step: run.step + 1, attempts: 0, nextAttemptAt: new Date() },
    });
    if (count) {
      await this.recordAttempt(run, definition.steps[run.step].name, "action", run.attempts + 1, "ok", `resumed by ${event}`);
      await this.advance(runId);
    }
    return count > 0;
  }

  /** Gives up a waiting run (a declined payment, an expired checkout): its steps are compensated. */
  async abandon(shop: string, runId: string, reason: string, expectedWait?: string): Promise<boolean> {
    const run = await db.sagaRun.findFirst({ where: { id: runId, shop } });
    if (!run || run.state !== "waiting" || (expectedWait && run.waitingFor !== expectedWait)) return false;
    const definition = this.definition(run.saga);
    const { count } = await db.sagaRun.updateMany({
      where: { id: runId, state: "waiting", waitingFor: run.waitingFor },
      // The waiting step is compensated first (it may have started something: a payment).
      data: { state: "compensating", waitingFor: null, failedStep: definition.steps[run.step].name, error: reason, attempts: 0, nextAttemptAt: new Date() },
    });
    if (count) {
      await this.recordAttempt(run, definition.steps[run.step].name, "action", run.attempts + 1, "failed", reason);
      await this.advance(runId);
    }
    return count > 0;
  }

  /** Moves every run that is due and not leased (at start-up, and on a timer): crash recovery. */
  async resumeDue(now = new Date()): Promise<number> {
    const due = await db.sagaRun.findMany({
      where: { state: { in: ["running", "compensating"] }, nextAttemptAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      select: { id: true }, orderBy: { nextAttemptAt: "asc" }, take: 100,
    });
    for (const { id } of due) await this.advance(id);
    return due.length;
  }

  /** Runs steps (or compensations) until the run ends, waits, or must retry later. */
  async advance(runId: string): Promise<void> {
    if (!(await this.claim(runId))) return;
    try {
      for (;;) {
        const run = await db.sagaRun.findUniqueOrThrow({ where: { id: runId } });
        if (run.leaseOwner !== this.owner) return;
        if (run.nextAttemptAt > new Date()) return;
        const more = run.state === "running" ? await this.forward(run) : run.state === "compensating" ? await this.backward(run) : false;
        if (!more) return;
      }
    } finally {
      await db.sagaRun.updateMany({ where: { id: runId, leaseOwner: this.owner }, data: { leaseOwner: null, leaseUntil: null } });
    }
  }

  private async claim(runId: string): Promise<boolean> {
    const now = new Date();
    const { count } = await db.sagaRun.updateMany({
      where: { id: runId, state: { in: ["running", "compensating"] }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }, { leaseOwner: this.owner }] },
      data: { leaseOwner: this.owner, leaseUntil: new Date(now.getTime() + this.o.leaseMs) },
    });
    return count === 1;
  }

  private definition(name: string): Saga<unknown> {
    const definition = this.sagas.get(name);
    if (!definition) throw new Error(`no saga named ${name} is registered`);
    return definition;
  }

  private context(run: RunRow, step: Step<unknown>, attempt: number, signal: AbortSignal): StepContext<unknown> {
    return { shop: run.shop, runId: run.id, input: JSON.parse(run.input), results: JSON.parse(run.results), idempotencyKey: `${run.id}:${step.name}`, attempt, signal };
  }

  private delay(attempt: number) {
    const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + this.o.random() * (ceiling / 2)); // exponential, with jitter
  }

  /** Saves a transition, only while this runner still holds the lease. */
  private async save(run: RunRow, data: Parameters<typeof db.sagaRun.updateMany>[0]["data"]): Promise<boolean> {
    const { count } = await db.sagaRun.updateMany({
      where: { id: run.id, leaseOwner: this.owner },
      data: { ...data, leaseUntil: new Date(Date.now() + this.o.leaseMs) },
    });
    return count === 1;
  }

  private async forward(run: RunRow): Promise<boolean> {
    const definition = this.definition(run.saga);
    if (run.step >= definition.steps.length) {
      await this.save(run, { state: "completed", activeKey: null, endedAt: new Date() });
      return false;
    }
    const current = definition.steps[run.step];
    const attempt = run.attempts + 1;
    this.o.onBoundary?.({ runId: run.id, step: current.name, phase: "action", when: "before" });
    const attemptId = await this.startAttempt(run, current.name, "action", attempt);
    const outcome = await this.withTimeout(current.timeoutMs ?? 30_000, (signal) => current.action(this.context(run, current, attempt, signal)));
    if (outcome.ok && outcome.value instanceof WaitFor) {
      await this.endAttempt(attemptId, "waiting", `waiting for ${outcome.value.event}`);
      await this.save(run, { state: "waiting", waitingFor: outcome.value.event, attempts: attempt });
      // The event may have come first: then the run goes on now (resume() moves it again).
      const waiting = await db.sagaRun.findUniqueOrThrow({ where: { id: run.id } });
      if (waiting.state === "waiting" && outcome.value.event in JSON.parse(waiting.signals)) {
        await db.sagaRun.updateMany({ where: { id: run.id, leaseOwner: this.owner }, data: { leaseOwner: null, leaseUntil: null } });
        await this.resumeWithEarlySignal(waiting);
      }
      return false;
    }
    if (outcome.ok) {
      await this.endAttempt(attemptId, "ok");
      this.o.onBoundary?.({ runId: run.id, step: current.name, phase: "action", when: "after" });
      const results = { ...JSON.parse(run.results), [current.name]: outcome.value ?? null };
      return this.save(run, { results: JSON.stringify(results), step: run.step + 1, attempts: 0, error: null });
    }
    await this.endAttempt(attemptId, outcome.timedOut ? "timeout" : "failed", outcome.message);
    const permanent = outcome.error instanceof PermanentStepFailure || attempt >= (current.maxAttempts ?? 5);
    if (!permanent) {
      await this.save(run, { attempts: attempt, error: outcome.message, nextAttemptAt: new Date(Date.now() + this.delay(attempt)) });
      return true;
    }
    // Compensate from the failed step itself (it may have half happened) back to the first.
    this.o.log(`saga ${run.saga} ${run.id}: ${current.name} failed for good (${outcome.message}); compensating`);
    return this.save(run, { state: "compensating", failedStep: current.name, error: outcome.message, attempts: 0, nextAttemptAt: new Date() });
  }

  private async backward(run: RunRow): Promise<boolean> {
    const definition = this.definition(run.saga);
    if (run.step < 0) {
      await this.save(run, { state: "compensated", activeKey: null, endedAt: new Date() });
      return false;
    }
    const current = definition.steps[run.step];
    const results = JSON.parse(run.results) as Record<string, unknown>;
    const ran = current.name in results || current.name === run.failedStep;
    if (!current.compensation || !ran) return this.save(run, { step: run.step - 1, attempts: 0 });
    const attempt = run.attempts + 1;
    this.o.onBoundary?.({ runId: run.id, step: current.name, phase: "compensation", when: "before" });
    const attemptId = await this.startAttempt(run, current.name, "compensation", attempt);
    const compensation = current.compensation;
    const outcome = await this.withTimeout(current.timeoutMs ?? 30_000, (signal) => compensation(this.context(run, current, attempt, signal), results[current.name]));
    if (outcome.ok) {
      await this.endAttempt(attemptId, "ok");
      this.o.onBoundary?.({ runId: run.id, step: current.name, phase: "compensation", when: "after" });
      return this.save(run, { step: run.step - 1, attempts: 0 });
    }
    await this.endAttempt(attemptId, outcome.timedOut ? "timeout" : "failed", outcome.message);
    if (attempt < this.o.compensationAttempts) {
      await this.save(run, { attempts: attempt, nextAttemptAt: new Date(Date.now() + this.delay(attempt)) });
      return true;
    }
    // Never forgotten: parked for the reconciler, with a finding the admin shows.
    await this.save(run, { state: "stuck", error: `compensation ${current.name}: ${outcome.message}` });
    await db.reconcileFinding.create({
      data: { shop: run.shop, kind: "saga_stuck", subject: `${run.saga}:${run.id}`, detail: JSON.stringify({ step: current.name, error: outcome.message, attempts: attempt }), repaired: false },
    });
    this.o.log(`ALERT saga ${run.saga} ${run.id} is stuck: compensation ${current.name} failed ${attempt} times (${outcome.message})`);
    return false;
  }

  private async withTimeout(ms: number, work: (signal: AbortSignal) => Promise<unknown>) {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new StepTimeout(ms));
      }, ms);
    });
    try {
      return { ok: true as const, value: await Promise.race([work(controller.signal), timeout]) };
    } catch (error) {
      return { ok: false as const, error, timedOut: error instanceof StepTimeout, message: (error as Error)?.message ?? String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async startAttempt(run: RunRow, stepName: string, phase: "action" | "compensation", attempt: number) {
    return (await db.sagaStepAttempt.create({ data: { runId: run.id, shop: run.shop, step: stepName, phase, attempt } })).id;
  }

  private async endAttempt(id: number, outcome: string, error?: string) {
    await db.sagaStepAttempt.update({ where: { id }, data: { outcome, error: error?.slice(0, 1000) ?? null, endedAt: new Date() } });
  }

  private async recordAttempt(run: RunRow, stepName: string, phase: "action" | "compensation", attempt: number, outcome: string, note: string) {
    await db.sagaStepAttempt.create({ data: { runId: run.id, shop: run.shop, step: stepName, phase, attempt, outcome, error: note, endedAt: new Date() } });
  }

  /** A run's state and timeline, for the API and the admin. */
  async view(shop: string, runId: string): Promise<SagaView> {
    const run = await db.sagaRun.findFirst({ where: { id: runId, shop } });
    if (!run) throw new Error(`no saga run ${runId}`);
    const attempts = await db.sagaStepAttempt.findMany({ where: { runId, shop }, orderBy: { id: "asc" } });
    return {
      id: run.id, saga: run.saga, key: run.key, state: run.state as SagaState, step: run.step, waitingFor: run.waitingFor, error: run.error,
      failedStep: run.failedStep, results: JSON.parse(run.results), createdAt: run.createdAt.toISOString(), endedAt: run.endedAt?.toISOString() ?? null,
      timeline: attempts.map((a) => ({ step: a.step, phase: a.phase, attempt: a.attempt, outcome: a.outcome, error: a.error, startedAt: a.startedAt.toISOString(), endedAt: a.endedAt?.toISOString() ?? null })),
    };
  }
}

class StepTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

export interface SagaView {
  id: string; saga: string; key: string; state: SagaState; step: number; waitingFor: string | null; error: string | null; failedStep: string | null;
  results: Record<string, unknown>; createdAt: string; endedAt: string | null;
  timeline: { step: string; phase: string; attempt: number; outcome: string | null; error: string | null; startedAt: string; endedAt: string | null }[];
}

