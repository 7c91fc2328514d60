// Holdfast's checkout page for headless storefronts: what the shopper sees (the cart priced by
// the Cart API's totals, the hold and its time, the payment's state) and what they do (details,
// a discount code, a shipping rate, more time, pay). The page is the app's own client of the
// cart and checkout domains: it calls them directly, so no storefront key reaches a browser.
import { z } from "zod";
import db from "../db.server";
import { appConfig } from "../config.server";
import { unauthenticated } from "../shopify.server";
import {
  addressSchema,
  applyDiscountCode,
  CartError,
  cartView,
  chooseShippingRate,
  contactSchema,
  prefetchFacts,
  removeDiscountCode,
  type CartTotalsAnswer,
} from "../cart/carts.server";
import { bumpTotalsVersion, calculateInBackground, totalsEventStream } from "../cart/totals-versions.server";
import { holdAtCheckoutStart, extendHoldOf, latestHoldOf } from "../holds/checkout-start.server";
import { activeHoldOf, type HoldStatus } from "../holds/holds.server";
import { cartApiHoldOwner, headlessCheckoutHoldOwner } from "../holds/owners";
import { checkoutView, confirmPaymentHint } from "../headless-checkout/checkout-api.server";
import { PAYMENT_AUTHORIZED, sagaRunner, startCheckout } from "../headless-checkout/checkout-runner.server";
import { checkoutSaga } from "../headless-checkout/checkout-saga.server";
import { checkoutResults, type CheckoutInput, type Priced } from "../headless-checkout/checkout-results.server";
import { shopFace, type ShopFace } from "./shop-face.server";
import { checkoutPath, isCheckoutSignature, shopOfHandle } from "./link.server";
import { provincesOf } from "./regions";
import { readCheckoutRequiresPhone } from "./settings.server";

/** Why the page cannot show a checkout: said plainly, with the HTTP status it is sent with. */
export class CheckoutPageProblem extends Error {
  constructor(
    readonly status: 404 | 409 | 410,
    readonly title: string,
    readonly detail: string,
  ) {
    super(title);
  }
}

const NOT_FOUND = () =>
  new CheckoutPageProblem(404, "This checkout link is not valid", "The link may be incomplete or from another shop. Go back to the shop and check out again.");

export interface PageLine {
  id: string;
  title: string;
  quantity: number;
  unitPrice: number;
  total: number;
}

export interface CheckoutPageData {
  kind: "checkout";
  shop: { domain: string; path: string } & ShopFace;
  cartId: string;
  currency: string;
  details: Details;
  lines: PageLine[];
  totals: CartTotalsAnswer;
  totalsVersion: number;
  hold: PageHold;
  payment: PagePayment | null;
  stripe: { publishableKey: string; account: string; jsUrl: string } | null;
  provinces: Record<string, { code: string; name: string }[]>;
  /** The shop requires a phone number (Settings); otherwise the page does not ask for one. */
  requirePhone: boolean;
}

export interface ConfirmationData {
  kind: "confirmation";
  shop: { domain: string; path: string } & ShopFace;
  orderNumber: string;
  email: string | null;
  priced: Priced;
}

export interface Details {
  email: string;
  name: string;
  address1: string;
  zip: string;
  city: string;
  province: string;
  country: string;
  phone: string;
  billingSame: boolean;
  billing: { name: string; address1: string; zip: string; city: string; province: string; country: string } | null;
}

/** The hold as the shopper is told about it. */
export type PageHold =
  | { state: "active"; expiresAt: string; remainingSeconds: number; extendable: boolean; units: number }
  | { state: "ended"; endedBecause: "expired" | "released" }
  | { state: "short"; message: string }
  | { state: "none" };

/** Where the payment is: waiting for the shopper, being processed, or failed (and why). */
export type PagePayment =
  | { state: "awaiting_payment"; checkoutId: string; clientSecret: string; error: { code: string; message: string } | null }
  | { state: "processing"; checkoutId: string }
  | { state: "failed"; checkoutId: string; message: string };

/** The shop a path names, installed: anything else is the same "not valid" page. */
async function installedShop(handle: string): Promise<string> {
  const shop = shopOfHandle(handle);
  if (!shop) throw NOT_FOUND();
  const session = await db.session.findFirst({ where: { shop, isOnline: false }, select: { id: true } });
  if (!session) throw NOT_FOUND();
  return shop;
}

const cartIdSchema = z.string().uuid();

/** The cart behind a page address: in this shop, opened with its link's signature. */
async function openCart(handle: string, cartId: string, sig: string | null) {
  if (!cartIdSchema.safeParse(cartId).success) throw NOT_FOUND();
  const shop = await installedShop(handle);
  const cart = await db.cart.findFirst({ where: { id: cartId, shop } });
  if (!cart || cart.mergedIntoId || !isCheckoutSignature(shop, cartId, cart.customerId, sig)) throw NOT_FOUND();
  return { shop, cart };
}

/** The cart's totals as they change (Server-Sent Events), for a page opened with the cart's link. */
export async function checkoutTotalsStream(signal: AbortSignal, handle: string, cartId: string, sig: string | null): Promise<Response> {
  const { shop } = await openCart(handle, cartId, sig);
  return totalsEventStream(signal, shop, cartId);
}

const latestRunOf = (shop: string, cartId: string) =>
  db.sagaRun.findFirst({
    where: { shop, saga: checkoutSaga.name, key: cartId },
    orderBy: { createdAt: "desc" },
    select: { id: true, state: true, input: true },
  });

/** The page as the shopper opens it. A visit by a person (not a link preview) holds the cart's stock as the shop's strategy says. */
export async function loadCheckoutPage(
  handle: string,
  cartId: string,
  sig: string | null,
  options: { placeHold: boolean },
): Promise<CheckoutPageData | ConfirmationData> {
  const { shop, cart } = await openCart(handle, cartId, sig);
  const face = shopFace(shop);
  face.catch(() => undefined); // awaited below; a failure before then must not go unhandled
  const run = await latestRunOf(shop, cartId);
  if (cart.convertedAt) {
    const view = run?.state === "completed" ? await sagaRunner.view(shop, run.id) : null;
    const results = view ? checkoutResults(view.results) : null;
    if (!results?.recalculate || !results.complete)
      throw new CheckoutPageProblem(410, "This cart has already been checked out", "Its order was placed. Go back to the shop to start a new cart.");
    return {
      kind: "confirmation",
      shop: { domain: shop, path: checkoutPath(shop, cartId), ...(await face) },
      orderNumber: results.complete.replace(/^gid:\/\/shopify\/Order\//, ""),
      email: results.recalculate.email,
      priced: results.recalculate,
    };
  }
  const [view, payment, stripeAccount] = await Promise.all([
    cartView(shop, cartId),
    run ? paymentOf(shop, run) : null,
    db.shop.findUnique({ where: { domain: shop }, select: { stripeAccountId: true, checkoutRequiresPhone: true } }),
  ]);
  if (!view.lines.length) throw new CheckoutPageProblem(409, "Your cart is empty", "Add something to your cart in the shop, then check out again.");
  const hold = await pageHold(shop, cartId, view.lines, run?.state === "waiting" ? run.id : null, options.placeHold);
  const { STRIPE_PUBLISHABLE_KEY, STRIPE_JS_URL } = appConfig();
  return {
    kind: "checkout",
    shop: { domain: shop, path: checkoutPath(shop, cartId), ...(await face) },
    cartId,
    currency: view.cart.currency,
    details: detailsOf(view.cart, (await face).country),
    lines: view.lines.map((l) => ({
      id: l.id,
      title: l.title,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      total: view.totals!.lines.find((t) => t.id === l.id)?.subtotal ?? l.unitPrice * l.quantity,
    })),
    totals: view.totals!,
    totalsVersion: view.totalsVersion,
    hold,
    payment,
    stripe:
      STRIPE_PUBLISHABLE_KEY && stripeAccount?.stripeAccountId
        ? { publishableKey: STRIPE_PUBLISHABLE_KEY, account: stripeAccount.stripeAccountId, jsUrl: STRIPE_JS_URL }
        : null,
    provinces: provincesOf(["US", "CA"]),
    requirePhone: stripeAccount?.checkoutRequiresPhone ?? false,
  };
}

/** The payment of the cart's latest checkout; none once that checkout ended (unless `ended`: the answer to a Pay that failed at once). */
async function paymentOf(shop: string, run: { id: string; state: string }, ended = false): Promise<PagePayment | null> {
  if (!ended && (run.state === "compensated" || run.state === "completed")) return null;
  const view = await checkoutView(shop, run.id);
  if (view.state === "awaiting_payment" && view.clientSecret)
    return { state: "awaiting_payment", checkoutId: run.id, clientSecret: view.clientSecret, error: view.paymentError ?? null };
  if (view.state === "failed" || view.state === "cancelling")
    return { state: "failed", checkoutId: run.id, message: view.error?.message ?? "The checkout stopped" };
  return { state: "processing", checkoutId: run.id };
}

type CartDetails = Awaited<ReturnType<typeof cartView>>["cart"];
interface StoredAddress {
  firstName?: string;
  lastName: string;
  address1: string;
  city: string;
  province?: string;
  zip?: string;
  country: string;
  phone?: string;
}

function detailsOf(cart: CartDetails, shopCountry: string): Details {
  const shipping = cart.shippingAddress as StoredAddress | null;
  const billing = cart.billingAddress as StoredAddress | null;
  const nameOf = (a: StoredAddress) => [a.firstName, a.lastName].filter(Boolean).join(" ");
  const billingSame = !billing || !shipping || JSON.stringify(billing) === JSON.stringify(shipping);
  return {
    email: cart.email ?? "",
    name: shipping ? nameOf(shipping) : "",
    address1: shipping?.address1 ?? "",
    zip: shipping?.zip ?? "",
    city: shipping?.city ?? "",
    province: shipping?.province ?? "",
    country: shipping?.country ?? shopCountry,
    phone: cart.phone ?? shipping?.phone ?? "",
    billingSame,
    billing:
      billing && !billingSame
        ? {
            name: nameOf(billing),
            address1: billing.address1,
            zip: billing.zip ?? "",
            city: billing.city,
            province: billing.province ?? "",
            country: billing.country,
          }
        : null,
  };
}

/**
 * The hold the shopper is told about. While a payment waits, it is the checkout run's; otherwise
 * the cart's own, placed when the page is opened (once: a hold that has ended is not placed
 * again by a reload, the shopper chooses "Reserve again").
 */
async function pageHold(
  shop: string,
  cartId: string,
  lines: { variantId: string; quantity: number }[],
  waitingRun: string | null,
  placeHold: boolean,
): Promise<PageHold> {
  const owner = waitingRun ? headlessCheckoutHoldOwner(waitingRun) : cartApiHoldOwner(cartId);
  let hold: HoldStatus | null = await latestHoldOf(shop, owner);
  const live = hold && ["held", "extended"].includes(hold.state) && hold.remainingSeconds > 0;
  if (!waitingRun && placeHold && (!hold || (live && !(await holdCoversCart(shop, hold, lines))))) {
    const placed = await placeCartHold(shop, cartId, lines);
    if (placed.state !== "active") return placed;
    hold = await activeHoldOf(shop, owner);
  }
  return describeHold(hold);
}

/**
 * Whether the live hold already holds exactly the cart's lines (by the inventory items Shopify
 * last named for its variants): a reload of the page then asks Shopify nothing and writes
 * nothing. Any doubt (a variant not seen yet, a quantity changed, a line the strategy leaves out)
 * places the hold again.
 */
async function holdCoversCart(shop: string, hold: HoldStatus, lines: { variantId: string; quantity: number }[]): Promise<boolean> {
  const items = await db.variantItem.findMany({
    where: { shop, variantId: { in: lines.map((l) => l.variantId) } },
    select: { variantId: true, inventoryItemId: true },
  });
  const wanted = new Map<string, number>();
  for (const line of lines) {
    const item = items.find((i) => i.variantId === line.variantId)?.inventoryItemId;
    if (!item) return false;
    wanted.set(item, (wanted.get(item) ?? 0) + line.quantity);
  }
  const held = new Map<string, number>();
  for (const line of hold.lines) held.set(line.inventoryItemId, (held.get(line.inventoryItemId) ?? 0) + line.quantity);
  return wanted.size === held.size && [...wanted].every(([item, quantity]) => held.get(item) === quantity);
}

function describeHold(hold: HoldStatus | null): PageHold {
  if (!hold) return { state: "none" };
  if ((hold.state === "held" || hold.state === "extended") && hold.remainingSeconds > 0)
    return {
      state: "active",
      expiresAt: hold.expiresAt,
      remainingSeconds: hold.remainingSeconds,
      extendable: hold.state === "held",
      units: hold.lines.reduce((n, l) => n + l.quantity, 0),
    };
  return { state: "ended", endedBecause: hold.state === "released" ? "released" : "expired" };
}

async function placeCartHold(shop: string, cartId: string, lines: { variantId: string; quantity: number }[]): Promise<PageHold> {
  const { admin } = await unauthenticated.admin(shop);
  const answer = await holdAtCheckoutStart(
    shop,
    admin,
    cartApiHoldOwner(cartId),
    lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
    { shopifyReserve: true },
  );
  if (answer.status === 200) return answer.body.hold ? describeHold(answer.body.hold) : { state: "none" };
  if (answer.status === 409) {
    const short = answer.body.lines.filter((l) => l.available < l.quantity).length;
    return {
      state: "short",
      message: `${short === 1 ? "One item is" : `${short} items are`} no longer available in the quantity in your cart. Lower the quantity in the shop, or pay now and we will check again.`,
    };
  }
  return { state: "short", message: "Some items in your cart are no longer sold online." };
}

// ---- What the shopper does -------------------------------------------------------------------

export type PageActionResult = { ok: true; message?: string } | { ok: false; fieldErrors?: Record<string, string>; formError?: string };

const text = (max: number) => z.string().trim().max(max);
const detailsSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").email("Enter an email address such as you@example.com").max(254),
  name: text(200).min(1, "Enter your name"),
  address1: text(200).min(1, "Enter your street address"),
  zip: text(20),
  city: text(100).min(1, "Enter your city"),
  province: text(10),
  country: text(2).min(2, "Choose your country"),
  phone: text(20),
});

const splitName = (name: string) => {
  const parts = name.trim().split(/\s+/);
  return parts.length === 1 ? { lastName: parts[0] } : { firstName: parts.slice(0, -1).join(" "), lastName: parts.at(-1)! };
};

function addressOf(values: { name: string; address1: string; zip: string; city: string; province: string; country: string }, prefix = "") {
  const parsed = addressSchema.safeParse({
    ...splitName(values.name),
    address1: values.address1,
    city: values.city,
    country: values.country,
    ...(values.zip ? { zip: values.zip } : {}),
    ...(values.province ? { province: values.province } : {}),
  });
  if (parsed.success) return { address: parsed.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] === "lastName" || issue.path[0] === "firstName" ? "name" : String(issue.path[0]);
    fieldErrors[prefix + field] ??= field === "country" ? "Choose a country from the list" : issue.message;
  }
  return { fieldErrors };
}

/**
 * The state or province, where the country has them on the form (tax depends on it there, so it
 * is required); elsewhere none is kept.
 */
function regionOf(country: string, province: string, field: string, fieldErrors: Record<string, string>): string {
  const regions = provincesOf([country.trim().toUpperCase()])[country.trim().toUpperCase()];
  if (!regions) return "";
  if (!regions.some((r) => r.code === province)) fieldErrors[field] ??= "Choose a state or province from the list";
  return province;
}

/** The shopper's details: contact, shipping address, and billing when it differs. Saves all or nothing. */
async function saveDetails(shop: string, cartId: string, form: FormData): Promise<PageActionResult> {
  const get = (name: string) => String(form.get(name) ?? "");
  const fields = Object.fromEntries(["email", "name", "address1", "zip", "city", "province", "country", "phone"].map((n) => [n, get(n)]));
  const parsed = detailsSchema.safeParse(fields);
  const fieldErrors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
  const values = { ...(parsed.success ? parsed.data : (fields as z.infer<typeof detailsSchema>)) };
  values.province = regionOf(values.country, values.province, "province", fieldErrors);
  const phone = values.phone.replace(/[\s().-]/g, "");
  if (!phone && (await readCheckoutRequiresPhone(shop))) fieldErrors.phone ??= "Enter a phone number; this shop needs one for delivery";
  const contact = contactSchema.safeParse({ email: values.email, ...(phone ? { phone } : {}) });
  if (!contact.success && !fieldErrors.email) fieldErrors.phone ??= "Enter a phone number with its country code, such as +1 415 555 0123";
  const shipping = addressOf(values);
  Object.assign(fieldErrors, Object.fromEntries(Object.entries(shipping.fieldErrors ?? {}).filter(([k]) => !fieldErrors[k])));
  const billingSame = form.get("billingSame") !== null;
  const billingValues = {
    name: get("billingName"),
    address1: get("billingAddress1"),
    zip: get("billingZip"),
    city: get("billingCity"),
    province: get("billingProvince"),
    country: get("billingCountry"),
  };
  if (!billingSame) billingValues.province = regionOf(billingValues.country, billingValues.province, "billingProvince", fieldErrors);
  const billing = billingSame ? null : addressOf(billingValues, "billing");
  if (billing?.fieldErrors) {
    for (const [k, v] of Object.entries(billing.fieldErrors)) fieldErrors[k.replace(/^billing(\w)/, (_, c: string) => `billing${c.toUpperCase()}`)] = v;
  }
  if (Object.keys(fieldErrors).length || !shipping.address || !contact.success) return { ok: false, fieldErrors };
  await changeCart(shop, cartId, "address changed", async (tx) => {
    await tx.cart.update({
      where: { id: cartId },
      data: {
        email: contact.data.email ?? null,
        phone: contact.data.phone ?? null,
        shippingAddress: JSON.stringify(shipping.address),
        billingAddress: billing?.address ? JSON.stringify(billing.address) : null,
        lastActivityAt: new Date(),
      },
    });
  });
  return { ok: true };
}

/** A change to the cart, with its totals version bumped in the same transaction (the live stream then tells every open page). */
async function changeCart(shop: string, cartId: string, reason: string, change: (tx: Parameters<Parameters<typeof db.$transaction>[0]>[0]) => Promise<void>) {
  await db.$transaction(async (tx) => {
    await change(tx);
    await bumpTotalsVersion(tx, shop, cartId, reason);
  });
  void calculateInBackground(shop, cartId).catch((error) => console.error(`totals after a checkout page change: ${(error as Error).message}`));
}

/** One of the page's forms, by its `intent`. */
export async function checkoutPageAction(
  handle: string,
  cartId: string,
  sig: string | null,
  form: FormData,
): Promise<PageActionResult & { payment?: PagePayment | null }> {
  const { shop, cart } = await openCart(handle, cartId, sig);
  if (cart.convertedAt) return { ok: true };
  const intent = String(form.get("intent") ?? "");
  try {
    switch (intent) {
      case "details":
        return await saveDetails(shop, cartId, form);
      case "discount": {
        const code = String(form.get("code") ?? "").trim();
        if (!code) return { ok: false, fieldErrors: { code: "Enter a discount code" } };
        const facts = await prefetchFacts(shop, cartId, { codes: [code] });
        await changeCart(shop, cartId, `discount code ${code.toUpperCase()} applied`, (tx) => applyDiscountCode(shop, cartId, { code }, { client: tx, facts }));
        return { ok: true, message: `Discount code ${code.toUpperCase()} applied` };
      }
      case "remove-discount": {
        const code = String(form.get("code") ?? "");
        await changeCart(shop, cartId, `discount code ${code} removed`, (tx) => removeDiscountCode(shop, cartId, code, { client: tx }));
        return { ok: true, message: `Discount code ${code} removed` };
      }
      case "shipping-rate": {
        const rateId = String(form.get("rateId") ?? "");
        const facts = await prefetchFacts(shop, cartId);
        await changeCart(shop, cartId, "shipping rate chosen", (tx) => chooseShippingRate(shop, cartId, { rateId }, { client: tx, facts }));
        return { ok: true };
      }
      case "extend": {
        const run = await latestRunOf(shop, cartId);
        const owner = run?.state === "waiting" ? headlessCheckoutHoldOwner(run.id) : cartApiHoldOwner(cartId);
        const extended = await extendHoldOf(shop, owner);
        return "hold" in extended ? { ok: true, message: "Your items are reserved for longer" } : { ok: false, formError: extended.message };
      }
      case "reserve": {
        const view = await cartView(shop, cartId, { totals: false });
        const placed = await placeCartHold(shop, cartId, view.lines);
        return placed.state === "short" ? { ok: false, formError: placed.message } : { ok: true, message: "Your items are reserved again" };
      }
      case "pay":
        return await pay(shop, cartId, form);
      case "confirm":
        return await confirm(shop, cartId, form);
      default:
        return { ok: false, formError: "This form is not one the page knows; reload the page" };
    }
  } catch (error) {
    if (error instanceof CartError) return { ok: false, ...(intent === "discount" ? { fieldErrors: { code: error.message } } : { formError: error.message }) };
    throw error;
  }
}

/**
 * Pay: starts the cart's checkout at the total the shopper sees (or answers the one already
 * waiting for their payment). A checkout waiting at another total (the shopper changed something
 * after a failed attempt) is given up first, so its payment is cancelled and a new one made.
 */
async function pay(shop: string, cartId: string, form: FormData): Promise<PageActionResult & { payment?: PagePayment | null }> {
  const expectedTotal = Number(form.get("expectedTotal"));
  if (!Number.isSafeInteger(expectedTotal) || expectedTotal < 0) return { ok: false, formError: "Reload the page to see your total, then pay" };
  const current = await latestRunOf(shop, cartId);
  if (current?.state === "waiting" && (JSON.parse(current.input) as CheckoutInput).expectedTotal !== expectedTotal)
    await sagaRunner.abandon(shop, current.id, "the shopper changed the order before paying", PAYMENT_AUTHORIZED);
  const { run } = await startCheckout(shop, { cartId, expectedTotal });
  let payment = await paymentOf(shop, run, true);
  // Another press (a second tab, a double tap) is moving the same checkout right now: its
  // answer is this one too, once that request has made the payment (a few hundred ms).
  for (let waited = 0; payment?.state === "processing" && waited < 5_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const latest = await db.sagaRun.findUniqueOrThrow({ where: { id: run.id }, select: { id: true, state: true } });
    payment = await paymentOf(shop, latest, true);
  }
  if (payment?.state === "failed") return { ok: false, formError: payment.message, payment };
  return { ok: true, payment };
}

/** The shopper's browser says Stripe confirmed the payment: Stripe is asked, and the checkout moves on if it is so. */
async function confirm(shop: string, cartId: string, form: FormData): Promise<PageActionResult & { payment?: PagePayment | null }> {
  const run = await latestRunOf(shop, cartId);
  if (!run || run.id !== String(form.get("checkoutId") ?? "")) return { ok: false, formError: "This payment is no longer the cart's; reload the page" };
  await confirmPaymentHint(shop, run.id);
  const latest = await db.sagaRun.findUniqueOrThrow({ where: { id: run.id }, select: { id: true, state: true } });
  return { ok: true, payment: await paymentOf(shop, latest) };
}
