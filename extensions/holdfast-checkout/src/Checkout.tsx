/** @jsxImportSource preact */
// The checkout block: holds the checkout's lines when it renders, shows the reservation and its
// time left, warns in the last two minutes, names the lines that are short, offers to reserve
// again once the hold has ended, and keeps the cart's `$app:hold` metafield (what the
// validation Function reads) in step. Logic lives in hold-view.ts; this file only renders.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { APP_URL } from "./app-url";
import { claimIdOf, claimOf, plural, timeLeft, viewOfHoldAnswer, type HoldView } from "./hold-view";

declare const shopify: import("@shopify/ui-extensions/purchase.checkout.block.render").Api;

export default async () => {
  render(<Reservation />, document.body);
};

const HOLD_METAFIELD = { namespace: "$app", key: "hold" };

function wantedLines() {
  return shopify.lines.value.map((l) => ({
    variantId: l.merchandise.id,
    quantity: l.quantity,
    // The product's title, and the variant's options when it has some (as checkout shows them).
    title: [l.merchandise.title, l.merchandise.subtitle].filter(Boolean).join(" – ") || "An item",
  }));
}

/** The hold the cart already claims (the theme's reservation, or this block's own earlier one). */
function cartHoldId(): string | undefined {
  const entry = shopify.appMetafields.value.find(
    (e) => e.target.type === "cart" && e.metafield.namespace === HOLD_METAFIELD.namespace && e.metafield.key === HOLD_METAFIELD.key,
  );
  return claimIdOf(entry?.metafield.value);
}

async function requestHold(): Promise<HoldView> {
  const wanted = wantedLines();
  const checkoutToken = shopify.checkoutToken.value;
  if (!checkoutToken || !wanted.length) return { kind: "nothing" };
  try {
    const cartHold = cartHoldId();
    const res = await fetch(`${APP_URL}/api/checkout/holds`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await shopify.sessionToken.get()}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        checkoutToken,
        lines: wanted.map(({ variantId, quantity }) => ({ variantId, quantity })),
        ...(cartHold ? { cartHoldId: cartHold } : {}),
      }),
    });
    return viewOfHoldAnswer(res.status, await res.json().catch(() => null), wanted, Date.now());
  } catch {
    return { kind: "unavailable" };
  }
}

/** Asks for more time (once per hold); the answer is a hold like POST's, or a refusal. */
async function requestMoreTime(current: Extract<HoldView, { kind: "held" }>): Promise<HoldView> {
  const checkoutToken = shopify.checkoutToken.value;
  try {
    const res = await fetch(`${APP_URL}/api/checkout/holds/${encodeURIComponent(checkoutToken ?? "")}/extend`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await shopify.sessionToken.get()}` },
    });
    const body = await res.json().catch(() => null);
    if (res.ok)
      return viewOfHoldAnswer(
        200,
        { ...body, untracked: [] },
        current.lines.map((l) => ({ ...l, title: "" })),
        Date.now(),
      );
    // Already extended, or ended meanwhile: the hold stays as it is (its end says the rest).
    return { ...current, extended: true };
  } catch {
    return current;
  }
}

/** Keeps `$app:hold` equal to the live hold, or absent. A failure here is not the shopper's problem. */
async function tieToCart(view: HoldView) {
  const change =
    view.kind === "held"
      ? { type: "updateCartMetafield" as const, metafield: { ...HOLD_METAFIELD, type: "json", value: JSON.stringify(claimOf(view)) } }
      : { type: "removeCartMetafield" as const, ...HOLD_METAFIELD };
  await shopify.applyMetafieldChange(change).catch(() => undefined);
}

function Reservation() {
  const [view, setView] = useState<HoldView>({ kind: "holding" });
  const [now, setNow] = useState(Date.now());

  const hold = useCallback(async () => {
    setView({ kind: "holding" });
    const next = await requestHold();
    setNow(Date.now()); // the time left counts from the answer
    setView(next);
    if (next.kind !== "holding") await tieToCart(next);
  }, []);

  useEffect(() => {
    void hold();
  }, [hold]);

  const moreTime = useCallback(async () => {
    if (view.kind !== "held") return;
    const next = await requestMoreTime(view);
    setNow(Date.now());
    setView(next);
    await tieToCart(next);
  }, [view]);

  useEffect(() => {
    if (view.kind !== "held") return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [view.kind]);

  const left = view.kind === "held" ? timeLeft(view.endsAt, now) : null;
  useEffect(() => {
    if (view.kind === "held" && left?.over) {
      const ended: HoldView = { kind: "ended", reason: "expired" };
      setView(ended);
      void tieToCart(ended);
    }
  }, [view, left?.over]);

  switch (view.kind) {
    case "holding":
      return <s-text>Reserving your items…</s-text>;
    case "nothing":
    case "unavailable":
      // Nothing to hold, or the app unreachable: the checkout goes on as usual.
      return null;
    case "held": {
      const units = view.lines.reduce((n, l) => n + l.quantity, 0);
      return (
        <s-banner tone={left!.warn ? "warning" : "success"} heading={left!.warn ? `Your reservation ends in ${left!.text}` : "Your items are reserved"}>
          <s-text>
            We are holding {plural(units, "item", "items")} for you for <s-text type="strong">{left!.text}</s-text>. If the time runs out you can still check
            out: the items are just no longer guaranteed.
          </s-text>
          {left!.warn && !view.extended && <s-button onClick={() => void moreTime()}>I need more time</s-button>}
        </s-banner>
      );
    }
    case "short":
      return (
        <s-banner tone="critical" heading="Not enough stock for some items">
          <s-stack gap="small-200">
            {view.lines.map((l) => (
              <s-text key={l.variantId}>
                {l.title}: {l.available === 0 ? "none left" : `only ${l.available} left`} (you have {l.wanted})
              </s-text>
            ))}
            <s-text>Change the quantities in your cart to continue.</s-text>
          </s-stack>
        </s-banner>
      );
    case "ended":
      return (
        <s-banner tone="warning" heading="Your reservation has ended">
          <s-stack gap="small-200">
            <s-text>You can still check out if the items are in stock. Reserve them again to be sure of them.</s-text>
            <s-button onClick={() => void hold()}>Reserve again</s-button>
          </s-stack>
        </s-banner>
      );
  }
}
