// The checkout extension's logic, without a UI: answers to views, the time left, the claim.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APP_URL } from "../src/app-url";
import { claimOf, timeLeft, viewOfHoldAnswer } from "../src/hold-view";

const MUG = "gid://shopify/ProductVariant/1001";
const wanted = [{ variantId: MUG, quantity: 2, title: "Anchor Mug" }];
const now = 1_800_000_000_000;

describe("the checkout extension's views", () => {
  it("a live hold: the time left is the server's (remainingSeconds), the claim carries the server's expiry", () => {
    const view = viewOfHoldAnswer(
      200,
      { hold: { id: "h1", state: "held", remainingSeconds: 300, expiresAt: "2027-01-15T08:05:00.000Z", lines: [] }, untracked: [] },
      wanted,
      now,
    );
    expect(view).toEqual({
      kind: "held",
      extended: false,
      id: "h1",
      endsAt: now + 300_000,
      expiresAt: Date.parse("2027-01-15T08:05:00.000Z") / 1000,
      lines: [{ variantId: MUG, quantity: 2 }],
    });
    expect(claimOf(view as Extract<typeof view, { kind: "held" }>)).toEqual({
      v: 1,
      id: "h1",
      expiresAt: Date.parse("2027-01-15T08:05:00.000Z") / 1000,
      lines: [{ variantId: MUG, quantity: 2 }],
    });
  });

  it("untracked lines are not claimed; no hold, or an ended one, is said so", () => {
    const view = viewOfHoldAnswer(
      200,
      { hold: { id: "h1", state: "extended", remainingSeconds: 60, expiresAt: new Date(now).toISOString(), lines: [] }, untracked: [MUG] },
      wanted,
      now,
    );
    expect(view).toMatchObject({ kind: "held", lines: [] });
    expect(viewOfHoldAnswer(200, { hold: null, untracked: [MUG], strategy: "none" }, wanted, now)).toEqual({ kind: "nothing" });
    expect(viewOfHoldAnswer(200, { hold: { id: "h1", state: "released", remainingSeconds: 0, expiresAt: "", lines: [] } }, wanted, now)).toEqual({
      kind: "ended",
      reason: "released",
    });
  });

  it("a 409 names only the short lines, by title; anything else leaves the checkout alone", () => {
    const short = viewOfHoldAnswer(
      409,
      {
        lines: [
          { variantId: MUG, quantity: 2, available: -1 },
          { variantId: "gid://shopify/ProductVariant/9", quantity: 1, available: 1 },
        ],
      },
      wanted,
      now,
    );
    expect(short).toEqual({ kind: "short", lines: [{ variantId: MUG, title: "Anchor Mug", wanted: 2, available: 0 }] });
    for (const [status, body] of [
      [401, {}],
      [503, { error: {} }],
      [500, null],
      [409, { error: {} }],
    ] as const)
      expect(viewOfHoldAnswer(status, body, wanted, now), String(status)).toEqual({ kind: "unavailable" });
  });

  it("counts down in minutes and seconds, warns in the last two minutes, and ends at zero", () => {
    expect(timeLeft(now + 600_000, now)).toEqual({ text: "10:00", warn: false, over: false, seconds: 600 });
    expect(timeLeft(now + 120_000, now)).toMatchObject({ text: "2:00", warn: true, over: false });
    expect(timeLeft(now + 1_500, now)).toMatchObject({ text: "0:02", warn: true, over: false });
    expect(timeLeft(now - 5_000, now)).toMatchObject({ text: "0:00", over: true });
  });

  it("calls the app at shopify.app.toml's application_url", () => {
    const toml = readFileSync("shopify.app.toml", "utf8");
    expect(toml).toMatch(new RegExp(`^application_url = "${APP_URL.replace(/[.]/g, "\\.")}"$`, "m"));
  });
});
