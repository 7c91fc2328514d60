import { describe, expect, it } from "vitest";
import { coalesced } from "./single-flight";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("coalesced runs", () => {
  it("gives every caller a run that started after its call, and shares the waiting one", async () => {
    const run = coalesced<number>();
    let version = 0;
    const starts: number[] = [];
    const work = async () => {
      const seen = version;
      starts.push(seen);
      await tick();
      return seen;
    };
    const first = run("shop", work);
    version = 1; // written while the first run is in flight: it may not have seen it
    const second = run("shop", work);
    const third = run("shop", work);
    version = 2;
    expect(await first).toBe(0);
    // Both later callers share one run, which started after both calls.
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    expect(starts).toEqual([0, 2]);
    expect(await run("shop", work)).toBe(2);
    expect(starts).toHaveLength(3);
  });

  it("a failed run does not stop the next one; keys are apart", async () => {
    const run = coalesced<string>();
    const failing = run("a", async () => {
      await tick();
      throw new Error("down");
    });
    const after = run("a", async () => "ok");
    const other = run("b", async () => "b");
    await expect(failing).rejects.toThrow("down");
    expect(await after).toBe("ok");
    expect(await other).toBe("b");
  });
});
