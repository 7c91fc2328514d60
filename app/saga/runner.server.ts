// A durable saga runner (orchestration): a saga is the list of its steps, each an action and a
// compensation. Runs and every step attempt are stored; a run moves forward one step at a time
// under a lease, so any instance may pick up a run another left (crash recovery); a step that
// keeps failing, or fails for good, has the completed steps compensated in reverse order; a
// compensation that keeps failing parks the run as `stuck` and reports it through the
// `onStuck` hook (the app records a finding for the reconciler): never forgotten. Each step gets an idempotency key derived from the run and the step, to pass
// downstream (Stripe Idempotency-Key, Shopify @idempotent). See docs/decisions/015-checkout-saga.md.
//
// The engine knows sagas, steps, runs and leases only: no payments, no Shopify, no findings.
// Every run belongs to a shop (the tenant its rows are kept under and read back by).
import diagnostics_channel from "node:diagnostics_channel";
import { randomUUID } from "node:crypto";
import db from "../db.server";
import { isUniqueViolation } from "../db/errors.server";
import { Leases } from "./leases.server";
import { recordAttemptAndMove } from "./log.server";

export type SagaState = "running" | "waiting" | "compensating" | "completed" | "compensated" | "stuck";

/** What each step of a saga returns, by step name: the stored results, typed. */
export type StepResults = Record<string, unknown>;

export interface StepContext<I, R extends object = StepResults> {
  shop: string;
  runId: string;
  input: I;
  /** Results of the steps before this one, by step name. */
  results: Partial<R>;
  /** `${runId}:${step}`: the same on every attempt, so downstream calls are applied once. */
  idempotencyKey: string;
  attempt: number;
  /** Aborted when the step's time is up. */
  signal: AbortSignal;
}

/** A failure no retry can fix: the saga compensates at once. */
export class PermanentStepFailure extends Error {
  constructor(
    message: string,
    readonly code = "step_failed",
  ) {
    super(message);
    this.name = "PermanentStepFailure";
  }
}

/** Returned by an action that must wait for something outside (the shopper confirming payment). */
export class WaitFor {
  constructor(readonly event: string) {}
}

export interface Step<I, R extends object = StepResults> {
  name: string;
  action: (ctx: StepContext<I, R>) => Promise<unknown>;
  /** Undoes the action. Runs with the action's result, or undefined when the action failed (it may have half happened). */
  compensation?(ctx: StepContext<I, R>, result: unknown): Promise<void>;
  timeoutMs?: number;
  maxAttempts?: number;
}

export interface Saga<I, R extends object = StepResults> {
  name: string;
  steps: Step<I, R>[];
}

/** A step's action and compensation; the action's result is stored under the step's name. */
export interface StepDefinition<I, R extends object, K extends keyof R> {
  action: (ctx: StepContext<I, R>) => Promise<R[K] | WaitFor>;
  /** Undoes the action, given its result (undefined when the action failed: it may have half happened). */
  compensation?: (ctx: StepContext<I, R>, result: R[K] | undefined) => Promise<void>;
  timeoutMs?: number;
  maxAttempts?: number;
}

/**
 * One step. With a results type (`step<Input, Results, "name">`), the name must be one of its
 * keys and the action must return that key's type; the next steps read it typed.
 */
export const step = <I, R extends object = StepResults, K extends keyof R & string = keyof R & string>(
  name: K,
  definition: StepDefinition<I, R, K>,
): Step<I, R> => ({ name, ...definition }) as Step<I, R>;
export const saga = <I, R extends object = StepResults>(name: string, steps: Step<I, R>[]): Saga<I, R> => {
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
  /** Called once when a run is parked as stuck (a compensation failed every attempt). */
  onStuck?: (stuck: StuckRun) => Promise<void>;
  /** Test hook: called at every step boundary; throwing from it simulates a crash there. */
  onBoundary?: (boundary: { runId: string; step: string; phase: "action" | "compensation"; when: "before" | "after" }) => void;
}

/** A run parked because one of its compensations kept failing: a person must look. */
export interface StuckRun {
  shop: string;
  saga: string;
  runId: string;
  step: string;
  error: string;
  attempts: number;
}

type RunRow = NonNullable<Awaited<ReturnType<typeof db.sagaRun.findUnique>>>;
/** A run's transition: plain values only, so the saved row is known without reading it back. */
type RunChange = Partial<
  Pick<RunRow, "state" | "step" | "attempts" | "results" | "error" | "failedStep" | "waitingFor" | "activeKey" | "endedAt" | "nextAttemptAt" | "leaseOwner">
>;

export const SAGA_BOUNDARY_CHANNEL = "holdfast:saga:boundary";
const boundaryChannel = diagnostics_channel.channel(SAGA_BOUNDARY_CHANNEL);

export class SagaRunner {
  private readonly sagas = new Map<string, Saga<unknown>>();
  private readonly owner: string;
  private readonly leases: Leases;
  private readonly o: Required<Omit<RunnerOptions, "onBoundary" | "onStuck">> & Pick<RunnerOptions, "onBoundary" | "onStuck">;

  constructor(options: RunnerOptions = {}) {
    this.owner = options.owner ?? `runner-${randomUUID()}`;
    this.o = {
      owner: this.owner,
      leaseMs: 60_000,
      baseDelayMs: 200,
      maxDelayMs: 60_000,
      compensationAttempts: 8,
      random: Math.random,
      log: (m) => console.error(m),
      ...options,
    };
    this.leases = new Leases(this.owner, this.o.leaseMs);
  }

  /** Test hook: observes every step boundary (a crash test kills the process at one). */
  observeBoundaries(hook: RunnerOptions["onBoundary"]): void {
    this.o.onBoundary = hook;
  }

  /**
   * Every step boundary is also published on the `holdfast:saga:boundary` diagnostics channel,
   * so a process can be watched (or, in the crash proof, killed at a boundary) from outside the
   * bundle; with no subscriber it costs one check.
   */
  private boundary(b: Parameters<NonNullable<RunnerOptions["onBoundary"]>>[0]) {
    this.o.onBoundary?.(b);
    if (boundaryChannel.hasSubscribers) boundaryChannel.publish(b);
  }

  /**
   * At start-up: leases this owner held belong to a previous life of this instance (it died
   * moving those runs), so they are released now rather than when they run out.
   */
  async releaseLeasesOfPreviousLife(): Promise<number> {
    const left = await this.leases.heldByPreviousLife();
    for (const run of left) {
      if (run.leaseOwner && (await this.leases.release(run.id, run.leaseOwner)))
        await this.recordInterruption(run, "this instance restarted while moving the run");
    }
    return left.length;
  }

  register<I, R extends object>(definition: Saga<I, R>): this {
    this.sagas.set(definition.name, definition as unknown as Saga<unknown>);
    return this;
  }

  /**
   * Starts a run for `key`, or returns the active run for it (a second start of the same
   * checkout is the same run). Then moves it as far as it can go now.
   */
  async start<I, R extends object>(definition: Saga<I, R>, shop: string, key: string, input: I): Promise<{ run: SagaView; created: boolean }> {
    const activeKey = `${shop}|${definition.name}|${key}`;
    let created = false;
    let id: string;
    let leased: RunRow | undefined;
    try {
      // Created leased to this runner, which moves it at once.
      const row = await db.sagaRun.create({
        data: {
          id: randomUUID(),
          shop,
          saga: definition.name,
          key,
          activeKey,
          input: JSON.stringify(input),
          state: "running",
          leaseOwner: this.leases.token(),
          leaseUntil: this.leases.until(),
        },
      });
      id = row.id;
      leased = row;
      created = true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await db.sagaRun.findUnique({ where: { activeKey } });
      if (!existing) return this.start(definition, shop, key, input); // it ended meanwhile
      id = existing.id;
    }
    await this.advance(id, leased);
    return { run: await this.view(shop, id), created };
  }

  /**
   * Creates the run for `key` (or finds the active one) without moving it: for callers that must
   * record it in their own transaction (an Idempotency-Key answer) and `advance` it after the commit.
   */
  async createRun<I, R extends object>(
    definition: Saga<I, R>,
    shop: string,
    key: string,
    input: I,
    client: Pick<typeof db, "sagaRun"> = db,
  ): Promise<{ id: string; created: boolean }> {
    const activeKey = `${shop}|${definition.name}|${key}`;
    const existing = await client.sagaRun.findUnique({ where: { activeKey } });
    if (existing) return { id: existing.id, created: false };
    const row = await client.sagaRun.create({
      data: { id: randomUUID(), shop, saga: definition.name, key, activeKey, input: JSON.stringify(input), state: "running" },
    });
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
      const { count } = await db.sagaRun.updateMany({
        where: { id: runId, state: "running", signals: run.signals },
        data: { signals: JSON.stringify(signals) },
      });
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
    // The wait ends, recorded, and the run leased to this runner, in one transaction.
    const change = {
      state: "running",
      waitingFor: null,
      results: JSON.stringify(results),
      signals: JSON.stringify(signals),
      step: run.step + 1,
      attempts: 0,
      nextAttemptAt: new Date(),
      leaseOwner: this.leases.token(),
      leaseUntil: this.leases.until(),
    };
    const now = new Date();
    const { moved } = await recordAttemptAndMove(
      {
        runId,
        shop: run.shop,
        step: definition.steps[run.step].name,
        phase: "action",
        attempt: run.attempts + 1,
        outcome: "ok",
        error: `resumed by ${event}`,
        startedAt: now,
        endedAt: now,
      },
      change,
      { id: runId, state: "waiting", waitingFor: event },
      { onlyIfMoved: true },
    );
    if (moved) await this.advance(runId, { ...run, ...change, updatedAt: now });
    return moved;
  }

  /** Adds an outside event to a run's timeline, on its current step (a payment attempt that failed while it waits). */
  async note(shop: string, runId: string, outcome: string, detail: string): Promise<void> {
    const run = await db.sagaRun.findFirst({ where: { id: runId, shop } });
    const current = run && this.sagas.get(run.saga)?.steps[run.step];
    if (run && current) await this.recordAttempt(run, current.name, "action", run.attempts, outcome, detail);
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

  /**
   * Gives a stuck run another full round of compensation (what failed may be back) and moves it
   * now; it is parked again if that fails too. Returns the state it ends in, or null when it was
   * no longer stuck.
   */
  async retryStuck(runId: string, now = new Date()): Promise<SagaState | null> {
    const { count } = await db.sagaRun.updateMany({
      where: { id: runId, state: "stuck" },
      data: { state: "compensating", attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null },
    });
    if (!count) return null;
    await this.advance(runId);
    return (await db.sagaRun.findUniqueOrThrow({ where: { id: runId }, select: { state: true } })).state as SagaState;
  }

  /** Moves every run that is due and not leased (at start-up, and on a timer): crash recovery. */
  async resumeDue(now = new Date()): Promise<number> {
    const due = await db.sagaRun.findMany({
      where: { ...this.leases.free(now), nextAttemptAt: { lte: now } },
      select: { id: true },
      orderBy: { nextAttemptAt: "asc" },
      take: 100,
    });
    for (const { id } of due) await this.advance(id);
    return due.length;
  }

  /** Runs steps (or compensations) until the run ends, waits, or must retry later. */
  /** `leased`: the run, already leased to this runner by the caller's own write (no claim needed). */
  async advance(runId: string, leased?: RunRow): Promise<void> {
    // The run is read once; each step's transition is applied to this copy as it is saved
    // (only the lease holder changes a running run's step, results and state).
    let run: RunRow | null = leased ?? (await this.claim(runId));
    // The lease is this loop's own: another loop on the same run, even in this process, cannot save.
    const token = run?.leaseOwner;
    if (!run || !token) return;
    try {
      while (run && run.leaseOwner === token && run.nextAttemptAt <= new Date()) {
        run = run.state === "running" ? await this.forward(run) : run.state === "compensating" ? await this.backward(run) : null;
      }
    } finally {
      // Ending, waiting and parking clear the lease as they save; a run left to retry later is let go here.
      if (run?.leaseOwner === token) await this.leases.release(runId, token);
    }
  }

  private async claim(runId: string): Promise<RunRow | null> {
    const claimed = await this.leases.claim(runId);
    if (!claimed) return null;
    const { before, token, leaseUntil } = claimed;
    // Taken over from an instance that stopped mid-way: the timeline says so.
    if (before.leaseOwner) await this.recordInterruption(before, `taken over after the lease of ${before.leaseOwner} ran out`);
    return { ...before, leaseOwner: token, leaseUntil };
  }

  private async recordInterruption(run: RunRow, note: string) {
    const definition = this.sagas.get(run.saga);
    const current = definition?.steps[run.step];
    if (!current) return;
    await this.recordAttempt(run, current.name, run.state === "compensating" ? "compensation" : "action", run.attempts + 1, "interrupted", note);
  }

  private definition(name: string): Saga<unknown> {
    const definition = this.sagas.get(name);
    if (!definition) throw new Error(`no saga named ${name} is registered`);
    return definition;
  }

  private context(run: RunRow, step: Step<unknown>, attempt: number, signal: AbortSignal): StepContext<unknown> {
    return {
      shop: run.shop,
      runId: run.id,
      input: JSON.parse(run.input),
      results: JSON.parse(run.results),
      idempotencyKey: `${run.id}:${step.name}`,
      attempt,
      signal,
    };
  }

  private delay(attempt: number) {
    const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + this.o.random() * (ceiling / 2)); // exponential, with jitter
  }

  /** Saves a transition, only while this runner still holds the lease. */
  private async save(run: RunRow, data: RunChange): Promise<RunRow | null> {
    const change = { ...data, leaseUntil: data.leaseOwner === null ? null : this.leases.until() };
    const { count } = await db.sagaRun.updateMany({ where: { id: run.id, leaseOwner: run.leaseOwner ?? "" }, data: change });
    return count === 1 ? { ...run, ...change } : null;
  }

  private async forward(run: RunRow): Promise<RunRow | null> {
    const definition = this.definition(run.saga);
    if (run.step >= definition.steps.length) {
      await this.save(run, { state: "completed", activeKey: null, endedAt: new Date(), leaseOwner: null });
      return null;
    }
    const current = definition.steps[run.step];
    const attempt = run.attempts + 1;
    this.boundary({ runId: run.id, step: current.name, phase: "action", when: "before" });
    const tried = { step: current.name, phase: "action" as const, attempt, startedAt: new Date() };
    const outcome = await this.withTimeout(current.timeoutMs ?? 30_000, (signal) => current.action(this.context(run, current, attempt, signal)));
    if (outcome.ok && outcome.value instanceof WaitFor) {
      const waiting = await this.settle(
        run,
        { ...tried, outcome: "waiting", note: `waiting for ${outcome.value.event}` },
        { state: "waiting", waitingFor: outcome.value.event, attempts: attempt, leaseOwner: null },
      );
      // The event may have come first (its signals are read back by the same write): then the run goes on now.
      if (waiting && outcome.value.event in JSON.parse(waiting.signals)) await this.resumeWithEarlySignal(waiting);
      return null;
    }
    if (outcome.ok) {
      this.boundary({ runId: run.id, step: current.name, phase: "action", when: "after" });
      const results = { ...JSON.parse(run.results), [current.name]: outcome.value ?? null };
      const last = run.step + 1 >= definition.steps.length;
      const moved = await this.settle(
        run,
        { ...tried, outcome: "ok" },
        {
          results: JSON.stringify(results),
          step: run.step + 1,
          attempts: 0,
          error: null,
          ...(last ? { state: "completed", activeKey: null, endedAt: new Date(), leaseOwner: null } : {}),
        },
      );
      return last ? null : moved;
    }
    const failed = { ...tried, outcome: outcome.timedOut ? "timeout" : "failed", note: outcome.message };
    const permanent = outcome.error instanceof PermanentStepFailure || attempt >= (current.maxAttempts ?? 5);
    if (!permanent) return this.settle(run, failed, { attempts: attempt, error: outcome.message, nextAttemptAt: new Date(Date.now() + this.delay(attempt)) });
    // Compensate from the failed step itself (it may have half happened) back to the first.
    this.o.log(`saga ${run.saga} ${run.id}: ${current.name} failed for good (${outcome.message}); compensating`);
    return this.settle(run, failed, { state: "compensating", failedStep: current.name, error: outcome.message, attempts: 0, nextAttemptAt: new Date() });
  }

  private async backward(run: RunRow): Promise<RunRow | null> {
    const definition = this.definition(run.saga);
    if (run.step < 0) {
      await this.save(run, { state: "compensated", activeKey: null, endedAt: new Date(), leaseOwner: null });
      return null;
    }
    const current = definition.steps[run.step];
    const results = JSON.parse(run.results) as Record<string, unknown>;
    const ran = current.name in results || current.name === run.failedStep;
    if (!current.compensation || !ran) return this.save(run, { step: run.step - 1, attempts: 0 });
    const attempt = run.attempts + 1;
    this.boundary({ runId: run.id, step: current.name, phase: "compensation", when: "before" });
    const tried = { step: current.name, phase: "compensation" as const, attempt, startedAt: new Date() };
    const outcome = await this.withTimeout(current.timeoutMs ?? 30_000, (signal) =>
      current.compensation!(this.context(run, current, attempt, signal), results[current.name]),
    );
    if (outcome.ok) {
      this.boundary({ runId: run.id, step: current.name, phase: "compensation", when: "after" });
      return this.settle(run, { ...tried, outcome: "ok" }, { step: run.step - 1, attempts: 0 });
    }
    const failed = { ...tried, outcome: outcome.timedOut ? "timeout" : "failed", note: outcome.message };
    if (attempt < this.o.compensationAttempts)
      return this.settle(run, failed, { attempts: attempt, nextAttemptAt: new Date(Date.now() + this.delay(attempt)) });
    // Never forgotten: parked, and reported through the hook (the app records a finding).
    const parked = await this.settle(run, failed, { state: "stuck", error: `compensation ${current.name}: ${outcome.message}`, leaseOwner: null });
    if (parked) await this.o.onStuck?.({ shop: run.shop, saga: run.saga, runId: run.id, step: current.name, error: outcome.message, attempts: attempt });
    this.o.log(`ALERT saga ${run.saga} ${run.id} is stuck: compensation ${current.name} failed ${attempt} times (${outcome.message})`);
    return null;
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

  /**
   * Records an attempt that has ended and the run's move it caused, in one transaction (one
   * commit): the timeline never says a step ended that the run does not reflect, nor the reverse.
   * The run moves only while this runner holds the lease.
   */
  private async settle(
    run: RunRow,
    tried: { step: string; phase: "action" | "compensation"; attempt: number; startedAt: Date; outcome: string; note?: string },
    data: RunChange,
  ): Promise<RunRow | null> {
    const endedAt = new Date();
    const change = { ...data, leaseUntil: data.leaseOwner === null ? null : this.leases.until(endedAt.getTime()) };
    const { moved, signals } = await recordAttemptAndMove(
      {
        runId: run.id,
        shop: run.shop,
        step: tried.step,
        phase: tried.phase,
        attempt: tried.attempt,
        outcome: tried.outcome,
        error: tried.note?.slice(0, 1000) ?? null,
        startedAt: tried.startedAt,
        endedAt,
      },
      change,
      { id: run.id, leaseOwner: run.leaseOwner ?? "" },
    );
    return moved ? { ...run, ...change, signals: signals ?? run.signals, updatedAt: endedAt } : null;
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
      id: run.id,
      saga: run.saga,
      key: run.key,
      state: run.state as SagaState,
      step: run.step,
      waitingFor: run.waitingFor,
      error: run.error,
      failedStep: run.failedStep,
      results: JSON.parse(run.results),
      createdAt: run.createdAt.toISOString(),
      endedAt: run.endedAt?.toISOString() ?? null,
      timeline: attempts.map((a) => ({
        step: a.step,
        phase: a.phase,
        attempt: a.attempt,
        outcome: a.outcome,
        error: a.error,
        startedAt: a.startedAt.toISOString(),
        endedAt: a.endedAt?.toISOString() ?? null,
      })),
    };
  }
}

class StepTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

export interface SagaView {
  id: string;
  saga: string;
  key: string;
  state: SagaState;
  step: number;
  waitingFor: string | null;
  error: string | null;
  failedStep: string | null;
  results: Record<string, unknown>;
  createdAt: string;
  endedAt: string | null;
  timeline: { step: string; phase: string; attempt: number; outcome: string | null; error: string | null; startedAt: string; endedAt: string | null }[];
}
