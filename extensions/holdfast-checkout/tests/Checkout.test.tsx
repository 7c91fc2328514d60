// @vitest-environment jsdom
// The checkout block and the Thank-you line under Shopify's own tester (@shopify/ui-extensions-tester):
// what each state renders, the calls made to the app, and the cart metafield kept for the Function.
import { getExtension } from "@shopify/ui-extensions-tester";
import { createCartLine } from "@shopify/ui-extensions-tester/checkout";
import { fireEvent, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { APP_URL } from "../src/app-url";

const MUG = "gid://shopify/ProductVariant/1001";
const CAP = "gid://shopify/ProductVariant/2002";
const line = (id: string, quantity: number, title: string) =>
  createCartLine({ id: `gid://shopify/CartLine/${id.split("/").pop()}`, quantity, merchandise: { ...createCartLine().merchandise, id, title } as never });
const hold = (remainingSeconds: number, state = "held") => ({
  hold: {
    id: "hold-1",
    state,
    remainingSeconds,
    expiresAt: new Date(Date.now() + remainingSeconds * 1000).toISOString(),
    serverTime: new Date().toISOString(),
    lines: [{ inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", quantity: 2 }],
  },
  untracked: [],
  strategy: "hold",
});
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const banner = () => document.body.querySelector("s-banner");

describe("the checkout block", () => {
  const extension = getExtension("purchase.checkout.block.render");
  let fetchMock: ReturnType<typeof vi.fn>;
  let metafields: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    extension.setUp();
    extension.shopify.checkoutToken.value = "co_123" as never;
    extension.shopify.lines.value = [line(MUG, 2, "Anchor Mug")];
    extension.shopify.sessionToken.get = vi.fn(async () => "session-token-1");
    metafields = vi.fn(async () => ({ type: "success" }));
    extension.shopify.applyMetafieldChange = metafields as never;
    fetchMock = vi.fn(async () => answer(200, hold(600)));
    extension.fetch = fetchMock as never;
  });
  afterEach(() => extension.tearDown());

  it("carries the theme's hold into the checkout: sends the hold its cart already claims", async () => {
    extension.shopify.appMetafields.value = [
      {
        target: { type: "cart", id: "gid://shopify/Cart/c1-abc" },
        metafield: {
          namespace: "$app",
          key: "hold",
          value: JSON.stringify({ v: 1, id: "theme-hold-7", expiresAt: 1, lines: [] }),
          type: "json",
          valueType: "json",
        },
      },
    ] as never;
    await extension.render();
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(JSON.parse(String((fetchMock.mock.calls[0] as [string, RequestInit])[1].body))).toMatchObject({
      checkoutToken: "co_123",
      cartHoldId: "theme-hold-7",
    });
  });

  it("holds the checkout's lines with the session token, shows the time left and ties the hold to the cart", async () => {
    await extension.render();
    await waitFor(() => expect(banner()?.getAttribute("heading")).toBe("Your items are reserved"));
    expect(banner()?.getAttribute("tone")).toBe("success");
    expect(banner()?.textContent).toContain("We are holding 2 items for you for 10:00");
    expect(banner()?.textContent).toContain("you can still check out");
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`${APP_URL}/api/checkout/holds`);
    expect(init.method).toBe("POST");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer session-token-1");
    expect(JSON.parse(String(init.body))).toEqual({ checkoutToken: "co_123", lines: [{ variantId: MUG, quantity: 2 }] });
    await waitFor(() => expect(metafields).toHaveBeenCalled());
    const change = metafields.mock.calls[0][0];
    expect(change).toMatchObject({ type: "updateCartMetafield", metafield: { namespace: "$app", key: "hold", type: "json" } });
    expect(JSON.parse(change.metafield.value)).toEqual({ v: 1, id: "hold-1", expiresAt: expect.any(Number), lines: [{ variantId: MUG, quantity: 2 }] });
  });

  it("warns in the last two minutes", async () => {
    fetchMock.mockResolvedValue(answer(200, hold(90)));
    await extension.render();
    await waitFor(() => expect(banner()?.getAttribute("heading")).toBe("Your reservation ends in 1:30"));
    expect(banner()?.getAttribute("tone")).toBe("warning");
  });

  it("in the last two minutes offers more time, once; then shows the new time left and ties the new expiry to the cart", async () => {
    fetchMock.mockResolvedValueOnce(answer(200, hold(90)));
    const more = hold(600, "extended");
    fetchMock.mockResolvedValueOnce(answer(200, { hold: { ...more.hold, extended: true } }));
    await extension.render();
    await waitFor(() => expect(banner()?.getAttribute("heading")).toBe("Your reservation ends in 1:30"));
    fireEvent.click(document.body.querySelector("s-button")!);
    await waitFor(() => expect(banner()?.getAttribute("heading")).toBe("Your items are reserved"));
    expect(banner()?.textContent).toContain("10:00");
    expect(document.body.querySelector("s-button")).toBeNull();
    const [url, init] = fetchMock.mock.calls[1] as [string, RequestInit];
    expect(url).toBe(`${APP_URL}/api/checkout/holds/co_123/extend`);
    expect(init.method).toBe("POST");
    await waitFor(() => expect(metafields).toHaveBeenCalledTimes(2));
    const claims = metafields.mock.calls.map((c) => JSON.parse(c[0].metafield.value));
    expect(claims[1].expiresAt).toBeGreaterThan(claims[0].expiresAt);
  });

  it("names the short lines and how many are left, and ties no hold to the cart", async () => {
    extension.shopify.lines.value = [line(MUG, 2, "Anchor Mug"), line(CAP, 1, "Deck Cap")];
    fetchMock.mockResolvedValue(
      answer(409, {
        error: { code: "unavailable", message: "Not enough stock" },
        lines: [
          { variantId: MUG, quantity: 2, available: 1 },
          { variantId: CAP, quantity: 1, available: 5 },
        ],
      }),
    );
    await extension.render();
    await waitFor(() => expect(banner()?.getAttribute("heading")).toBe("Not enough stock for some items"));
    expect(banner()?.getAttribute("tone")).toBe("critical");
    expect(banner()?.textContent).toContain("Anchor Mug: only 1 left (you have 2)");
    expect(banner()?.textContent).not.toContain("Deck Cap");
    await waitFor(() => expect(metafields).toHaveBeenCalledWith({ type: "removeCartMetafield", namespace: "$app", key: "hold" }));
  });

  it("says plainly when the hold has ended, and reserves again with one action", async () => {
    fetchMock.mockResolvedValueOnce(answer(200, hold(0, "expired")));
    await extension.render();
    await waitFor(() => expect(banner()?.getAttribute("heading")).toBe("Your reservation has ended"));
    expect(banner()?.textContent).toContain("You can still check out");
    fireEvent.click(document.body.querySelector("s-button")!);
    await waitFor(() => expect(banner()?.getAttribute("heading")).toBe("Your items are reserved"));
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("turns to 'ended' when the time runs out while the shopper is on the page", async () => {
    fetchMock.mockResolvedValue(answer(200, hold(1)));
    await extension.render();
    await waitFor(() => expect(banner()?.getAttribute("heading")).toBe("Your reservation has ended"), { timeout: 4000 });
    await waitFor(() => expect(metafields).toHaveBeenLastCalledWith({ type: "removeCartMetafield", namespace: "$app", key: "hold" }));
  });

  it("stays out of the way when the app cannot be reached or nothing needs holding", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("network down"));
    await extension.render();
    await waitFor(() => expect(document.body.textContent).toBe(""));
    extension.tearDown();
    extension.setUp();
    extension.shopify.checkoutToken.value = "co_123" as never;
    extension.shopify.lines.value = [line(MUG, 2, "Anchor Mug")];
    extension.fetch = vi.fn(async () => answer(200, { hold: null, untracked: [MUG], strategy: "none" })) as never;
    await extension.render();
    await waitFor(() => expect(document.body.textContent).toBe(""));
  });
});

describe("the Thank-you line", () => {
  const extension = getExtension("purchase.thank-you.block.render");
  beforeEach(() => {
    extension.setUp();
    extension.shopify.checkoutToken.value = "co_123" as never;
    extension.shopify.sessionToken.get = vi.fn(async () => "session-token-2");
  });
  afterEach(() => extension.tearDown());

  it("confirms the reserved items were secured when the order committed the hold", async () => {
    const fetchMock = vi.fn(async () => answer(200, hold(0, "committed")));
    extension.fetch = fetchMock as never;
    await extension.render();
    await waitFor(() => expect(document.body.textContent).toBe("The items we reserved for you were secured for this order."));
    expect((fetchMock.mock.calls[0] as unknown[])[0]).toBe(`${APP_URL}/api/checkout/holds/co_123`);
  });

  it("says nothing when there was no hold", async () => {
    extension.fetch = vi.fn(async () => answer(404, { error: { code: "not_found", message: "This checkout has no hold" } })) as never;
    await extension.render();
    await new Promise((r) => setTimeout(r, 50));
    expect(document.body.textContent).toBe("");
  });
});
