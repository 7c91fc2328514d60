import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";

const SHOP = "saga-shop.myshopify.com";
let t: TestApp;
let s: typeof import("./runner.server");

beforeAll(async () => {
  t = await startTestApp({ shops: [SHOP] });
  s = await import("./runner.server");
});
afterAll(async () => t?.close());

/** A ledger of what the steps did downstream, keyed by idempotency key (as Stripe and Shopify keep them). */
function downstream() {
  const applied = new Map<string, string>();
  const undone = new Set<string>();
  return {
    applied,
    undone,
    apply(key: string, what: string) {
      if (!applied.has(key)) applied.set(key, what);
      return applied.get(key)!;
    },
    undo(key: string) {
      undone.add(key);
    },
  };
}

const fast = { baseDelayMs: 1, maxDelayMs: 5, random: () => 0.5, log: () => {} };

describe("saga runner", () => {
  it("runs the steps in order, passing each step's result and an idempotency key per step", async () => {
    const d = downstream();
    const seen: string[] = [];
    const order = s.saga<{ n: number }>("order-demo", [
      s.step("reserve", { action: async (c) => d.apply(c.idempotencyKey, `reserved ${c.input.n}`) }),
      s.step("charge", {
        action: async (c) => {
          seen.push(String(c.results.reserve));
          return d.apply(c.idempotencyKey, "charged");
        },
      }),
    ]);
    const runner = new s.SagaRunner(fast).register(order);
    const { run, created } = await runner.start(order, SHOP, "cart-1", { n: 3 });
    expect(created).toBe(true);
    expect(run.state).toBe("completed");
    expect(run.results).toEqual({ reserve: "reserved 3", charge: "charged" });
    expect(seen).toEqual(["reserved 3"]);
    expect([...d.applied.keys()]).toEqual([`${run.id}:reserve`, `${run.id}:charge`]);
    expect(run.timeline.map((a) => [a.step, a.phase, a.outcome])).toEqual([
      ["reserve", "action", "ok"],
      ["charge", "action", "ok"],
    ]);
  });

  it("retries a failing step with backoff, then compensates the completed steps in reverse order", async () => {
    const d = downstream();
    const undone: string[] = [];
    let tries = 0;
    const flaky = s.saga("compensate-demo", [
      s.step("hold", { action: async (c) => d.apply(c.idempotencyKey, "held"), compensation: async () => void undone.push("hold") }),
      s.step("order", { action: async (c) => d.apply(c.idempotencyKey, "ordered"), compensation: async () => void undone.push("order") }),
      s.step("pay", {
        maxAttempts: 3,
        action: async () => {
          tries++;
          throw new Error("card network down");
        },
        compensation: async (_c, result) => void undone.push(`pay(${String(result)})`),
      }),
    ]);
    const runner = new s.SagaRunner(fast).register(flaky);
    const { run } = await runner.start(flaky, SHOP, "cart-2", {});
    // The first attempt fails; the rest run when they are due.
    for (let i = 0; i < 200 && !["compensated", "stuck"].includes((await runner.view(SHOP, run.id)).state); i++) {
      await new Promise((r) => setTimeout(r, 10));
      await runner.resumeDue();
    }
    const done = await runner.view(SHOP, run.id);
    expect(done.state).toBe("compensated");
    expect(tries).toBe(3);
    expect(done.failedStep).toBe("pay");
    // The failed step is compensated too (it may have half happened), with no result.
    expect(undone).toEqual(["pay(undefined)", "order", "hold"]);
    expect(done.timeline.filter((a) => a.phase === "action" && a.step === "pay").map((a) => a.outcome)).toEqual(["failed", "failed", "failed"]);
  });

  it("a permanent failure compensates at once; a step that times out is retried", async () => {
    let slow = 0;
    const sagaDef = s.saga("permanent-demo", [
      s.step("slow", {
        timeoutMs: 30,
        action: async (c) => {
          if (slow++ === 0) await new Promise((r) => setTimeout(r, 200));
          return c.attempt;
        },
      }),
      s.step("check", {
        action: async () => {
          throw new s.PermanentStepFailure("the price changed");
        },
      }),
    ]);
    const runner = new s.SagaRunner(fast).register(sagaDef);
    const { run } = await runner.start(sagaDef, SHOP, "cart-3", {});
    for (let i = 0; i < 200 && (await runner.view(SHOP, run.id)).state === "running"; i++) {
      await new Promise((r) => setTimeout(r, 10));
      await runner.resumeDue();
    }
    const done = await runner.view(SHOP, run.id);
    expect(done.state).toBe("compensated");
    expect(done.results.slow).toBe(2);
    expect(done.timeline.map((a) => [a.step, a.outcome])).toEqual([
      ["slow", "timeout"],
      ["slow", "ok"],
      ["check", "failed"],
    ]);
    expect(done.error).toBe("the price changed");
  });

  it("starting the same key twice is the same run; a run waits for an outside event and resumes on it", async () => {
    const waiting = s.saga("wait-demo", [
      s.step("prepare", { action: async () => "ready" }),
      s.step("confirm", { action: async () => new s.WaitFor("payment_confirmed") }),
      s.step("finish", { action: async (c) => `finished after ${JSON.stringify(c.results.confirm)}` }),
    ]);
    const runner = new s.SagaRunner(fast).register(waiting);
    const [a, b] = await Promise.all([runner.start(waiting, SHOP, "cart-4", {}), runner.start(waiting, SHOP, "cart-4", {})]);
    expect(a.run.id).toBe(b.run.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const paused = await runner.view(SHOP, a.run.id);
    expect(paused).toMatchObject({ state: "waiting", waitingFor: "payment_confirmed" });
    expect(await runner.signal(SHOP, a.run.id, "payment_failed")).toBe(false);
    expect(await runner.signal(SHOP, a.run.id, "payment_confirmed", { paymentIntent: "pi_1" })).toBe(true);
    expect(await runner.signal(SHOP, a.run.id, "payment_confirmed", { paymentIntent: "pi_2" })).toBe(false);
    const done = await runner.view(SHOP, a.run.id);
    expect(done.state).toBe("completed");
    expect(done.results.finish).toBe('finished after {"paymentIntent":"pi_1"}');
    // Ended: the key is free for a new run.
    expect((await runner.start(waiting, SHOP, "cart-4", {})).created).toBe(true);
  });

  it("an event that arrives before the run starts waiting for it is kept, and the run goes on when it gets there", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const early = s.saga("early-signal-demo", [
      s.step("authorize", {
        action: async () => {
          await gate;
          return "pi_early";
        },
      }),
      s.step("confirm", { action: async () => new s.WaitFor("payment_confirmed") }),
      s.step("finish", { action: async (c) => `done with ${JSON.stringify(c.results.confirm)}` }),
    ]);
    const runner = new s.SagaRunner(fast).register(early);
    const started = runner.start(early, SHOP, "cart-early", {});
    let runId: string | undefined;
    for (let i = 0; i < 50 && !runId; i++) {
      runId = (await t.db.sagaRun.findFirst({ where: { shop: SHOP, key: "cart-early" } }))?.id;
      await new Promise((r) => setTimeout(r, 5));
    }
    // The webhook is faster than the step that waits for it.
    expect(await runner.signal(SHOP, runId!, "payment_confirmed", { paymentIntent: "pi_early" })).toBe(true);
    release();
    const { run } = await started;
    const done = await runner.view(SHOP, run.id);
    expect(done.state).toBe("completed");
    expect(done.results.finish).toBe('done with {"paymentIntent":"pi_early"}');
  });

  it("a run abandoned while waiting is compensated", async () => {
    const undone: string[] = [];
    const waiting = s.saga("abandon-demo", [
      s.step("hold", { action: async () => "held", compensation: async () => void undone.push("hold") }),
      s.step("confirm", { action: async () => new s.WaitFor("payment_confirmed"), compensation: async () => void undone.push("confirm") }),
    ]);
    const runner = new s.SagaRunner(fast).register(waiting);
    const { run } = await runner.start(waiting, SHOP, "cart-5", {});
    expect(await runner.abandon(SHOP, run.id, "card declined", "payment_confirmed")).toBe(true);
    const done = await runner.view(SHOP, run.id);
    expect(done).toMatchObject({ state: "compensated", error: "card declined", failedStep: "confirm" });
    expect(undone).toEqual(["confirm", "hold"]);
  });

  it("a compensation that keeps failing parks the run as stuck, with a finding for the reconciler", async () => {
    const stuck = s.saga("stuck-demo", [
      s.step("refundable", {
        action: async () => "charged",
        compensation: async () => {
          throw new Error("refunds are down");
        },
      }),
      s.step("boom", {
        action: async () => {
          throw new s.PermanentStepFailure("order refused");
        },
      }),
    ]);
    // The engine reports the stuck run through its hook; the app's hook records the finding.
    const { recordStuckRun } = await import("../headless-checkout/checkout-runner.server");
    const reported: unknown[] = [];
    const onStuck = async (r: Parameters<typeof recordStuckRun>[0]) => {
      reported.push(r);
      await recordStuckRun(r);
    };
    const runner = new s.SagaRunner({ ...fast, compensationAttempts: 3, onStuck }).register(stuck);
    const { run } = await runner.start(stuck, SHOP, "cart-6", {});
    for (let i = 0; i < 200 && (await runner.view(SHOP, run.id)).state === "compensating"; i++) {
      await new Promise((r) => setTimeout(r, 10));
      await runner.resumeDue();
    }
    expect((await runner.view(SHOP, run.id)).state).toBe("stuck");
    const finding = await t.db.reconcileFinding.findFirstOrThrow({ where: { shop: SHOP, kind: "saga_stuck", subject: `stuck-demo:${run.id}` } });
    expect(JSON.parse(finding.detail)).toMatchObject({ step: "refundable", attempts: 3 });
    expect(reported).toEqual([{ shop: SHOP, saga: "stuck-demo", runId: run.id, step: "refundable", error: "refunds are down", attempts: 3 }]);
  });

  it("several loops asked to move the same run at once, in one process, run each step once", async () => {
    const calls: string[] = [];
    const def = s.saga(
      "one-mover",
      ["a", "b", "c"].map((name) =>
        s.step(name, {
          action: async () => {
            calls.push(name);
            await new Promise((r) => setTimeout(r, 20));
            return name;
          },
        }),
      ),
    );
    const runner = new s.SagaRunner(fast).register(def);
    const { id } = await runner.createRun(def, SHOP, "cart-movers", {});
    // A submit, its retry and a worker's resume all ask at the same moment (one runner, one process).
    await Promise.all([runner.advance(id), runner.advance(id), runner.advance(id), runner.resumeDue()]);
    for (let i = 0; i < 50 && (await runner.view(SHOP, id)).state !== "completed"; i++) await runner.resumeDue();
    expect((await runner.view(SHOP, id)).state).toBe("completed");
    expect(calls).toEqual(["a", "b", "c"]);
  });

  it("another runner picks up a run whose runner died mid-step (the lease expired), and the step's key is the same", async () => {
    const d = downstream();
    const def = s.saga("crash-demo", [
      s.step("charge", { action: async (c) => d.apply(c.idempotencyKey, "charged once") }),
      s.step("ship", { action: async (c) => d.apply(c.idempotencyKey, "shipped") }),
    ]);
    // The first runner "dies" right after the charge went through, before it saved the result.
    const dying = new s.SagaRunner({
      ...fast,
      leaseMs: 50,
      onBoundary: (b) => {
        if (b.step === "charge" && b.when === "after") throw new Error("SIGKILL");
      },
    }).register(def);
    await expect(dying.start(def, SHOP, "cart-7", {})).rejects.toThrow("SIGKILL");
    const [row] = await t.db.sagaRun.findMany({ where: { shop: SHOP, key: "cart-7" } });
    expect(row).toMatchObject({ state: "running", step: 0 });
    // As after a real crash, the lease is still held for a while; then another instance resumes.
    await t.db.sagaRun.update({ where: { id: row.id }, data: { leaseOwner: "dead-runner", leaseUntil: new Date(Date.now() + 30) } });
    const survivor = new s.SagaRunner(fast).register(def);
    expect(await survivor.resumeDue()).toBe(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(await survivor.resumeDue()).toBe(1);
    const done = await survivor.view(SHOP, row.id);
    expect(done.state).toBe("completed");
    expect([...d.applied.entries()]).toEqual([
      [`${row.id}:charge`, "charged once"],
      [`${row.id}:ship`, "shipped"],
    ]);
    expect(done.timeline.filter((a) => a.step === "charge").length).toBe(2);
  });
});
