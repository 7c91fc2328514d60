// A shopper in the dev store's Online Store and Shopify's checkout, doing what a browser does:
// the AJAX cart (cookie `cart`), "Check out", the checkout page with Holdfast's checkout UI
// extension on it, and "Pay now". The extension's part runs the extension's own logic
// (extensions/holdfast-checkout/src/hold-view.ts): it asks the app to hold the checkout's lines
// with a checkout session token, and ties a live hold to the cart with applyMetafieldChange, as
// the extension does in Shopify's checkout. Used by the end-to-end proofs and the demo's race.
import { claimIdOf, claimOf, viewOfHoldAnswer, type HoldView } from "../extensions/holdfast-checkout/src/hold-view";
import { HOLD_METAFIELD } from "../extensions/holdfast-validation/src/contract";
import { BROWSER_UA } from "./fixtures";

export interface ShopperOptions {
  /** The dev store's URL and the shop's domain. */
  storeUrl: string;
  shop: string;
  /** The app's URL, which the extension calls. */
  appUrl: string;
  /** A checkout session token, as Shopify gives the extension. */
  sessionToken: () => Promise<string>;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Answer {
  status: number;
  body: Json;
}

/** Checkout session tokens from a running dev store (its /_dev control), as Shopify gives the extension. */
export const devStoreSessionTokens = (storeUrl: string, shop: string) => async () => {
  const res = await fetch(`${storeUrl}/_dev/session-token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ shop, surface: "checkout" }),
  });
  return ((await res.json()) as { token: string }).token;
};

export function shopifyShopper(o: ShopperOptions) {
  const base = `${o.storeUrl}/shops/${o.shop}`;
  let cookie: string | undefined;
  let checkoutToken: string | undefined;

  async function store(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { "Content-Type": "application/json", ...(cookie ? { Cookie: `cart=${cookie}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = /cart=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
    if (set) cookie = set;
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async function app(method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${o.appUrl}${path}`, {
      method,
      headers: {
        "Content-Type": "application/json",
        "User-Agent": BROWSER_UA,
        Origin: "https://extensions.shopifycdn.com",
        Authorization: `Bearer ${await o.sessionToken()}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Json = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { raw: text };
    }
    return { status: res.status, body: parsed };
  }

  return {
    get cartToken() {
      return cookie;
    },
    get checkoutToken() {
      return checkoutToken;
    },
    add: (variantId: number, quantity = 1) => store("POST", "/cart/add.js", { items: [{ id: variantId, quantity }] }),
    cart: () => store("GET", "/cart.js"),
    /** Writes cart attributes or the note, as any script on the storefront may. */
    updateCart: (body: { attributes?: Record<string, string>; note?: string }) => store("POST", "/cart/update.js", body),
    /** "Check out": Shopify makes a checkout from the cart. */
    async checkout(): Promise<Answer> {
      const answer = await store("POST", "/checkouts", { cart_token: cookie });
      checkoutToken = answer.body?.checkout?.token;
      return answer;
    },
    /** The checkout page: its lines and what the validations say while the shopper fills it in. */
    page: () => store("GET", `/checkouts/${checkoutToken}.json`),
    /**
     * The checkout UI extension rendering on the checkout: holds the checkout's lines through
     * the app and keeps `$app:hold` on the cart equal to the live hold (or absent).
     */
    async extension(): Promise<HoldView> {
      const page = await store("GET", `/checkouts/${checkoutToken}.json`);
      const wanted = (page.body.checkout.lines as { merchandise: { id: string }; quantity: number }[]).map((l) => ({
        variantId: l.merchandise.id,
        quantity: l.quantity,
        title: l.merchandise.id,
      }));
      // The hold the cart already claims (the theme's), as the extension reads shopify.appMetafields.
      const claimed = (page.body.checkout.app_metafields as { metafield: { key: string; value: string } }[]).find(
        (m) => m.metafield.key === HOLD_METAFIELD.key,
      );
      const cartHoldId = claimIdOf(claimed?.metafield.value);
      const answer = await app("POST", "/api/checkout/holds", {
        checkoutToken,
        lines: wanted.map(({ variantId, quantity }) => ({ variantId, quantity })),
        ...(cartHoldId ? { cartHoldId } : {}),
      });
      const view = viewOfHoldAnswer(answer.status, answer.body, wanted, Date.now());
      await this.tie(view);
      return view;
    },
    /** What the extension writes to the cart for a view: the claim, or nothing. */
    async tie(view: HoldView): Promise<Answer> {
      const change =
        view.kind === "held"
          ? { type: "updateCartMetafield", metafield: { ...HOLD_METAFIELD, type: "json", value: JSON.stringify(claimOf(view)) } }
          : { type: "removeCartMetafield", ...HOLD_METAFIELD };
      return store("POST", `/checkouts/${checkoutToken}/metafields`, change, { Authorization: `Bearer ${await o.sessionToken()}` });
    },
    /**
     * The theme's reservation embed as the shopper heads to checkout (every plan): the cart's
     * lines from /cart.js, held through the app proxy on the shop's own domain.
     */
    async theme(): Promise<Answer> {
      const cart = await store("GET", "/cart.js");
      const lines = (cart.body.items as { variant_id: number; quantity: number }[]).map((i) => ({
        variantId: `gid://shopify/ProductVariant/${i.variant_id}`,
        quantity: i.quantity,
      }));
      return store("POST", "/apps/holdfast/holds", { cartToken: cart.body.token, lines });
    },
    /** The extension reading the hold back (after its countdown ran out, say). */
    readHold: () => app("GET", `/api/checkout/holds/${checkoutToken}`),
    /** "Continue to shipping" (or payment) in a three-page checkout. */
    continue: () => store("POST", `/checkouts/${checkoutToken}/continue`, {}),
    /** "Pay now". */
    complete: () => store("POST", `/checkouts/${checkoutToken}/complete`, { email: "shopper@example.com" }),
    /** A raw call to the store (forgery tests). */
    store,
  };
}

export type Shopper = ReturnType<typeof shopifyShopper>;
