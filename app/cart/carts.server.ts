// Persistent carts: get-or-create, lines (add, update, remove, list) and their totals. A cart
// belongs to one shop; every read and write is scoped by it.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { checkoutLink } from "../checkout-page/link.server";
import db, { currentDatabaseProvider } from "../db.server";
import { calculateTotals, type ShippingRate, type Totals } from "../totals/totals";
import { quoteRates, rateProviderOf } from "./rate-providers.server";
import { formatDecimal } from "../totals/money";
import { variantFacts, type VariantFacts } from "./products.server";
import { lookupDiscountCode, normalizeCode, type DiscountLookup } from "./discounts.server";
import { combinable, evaluateDiscounts, type CodeStatus } from "./discounts";
import { shopPricing, type ShopPricing } from "../shop/shopify-settings.server";
import { listShippingRates } from "./shipping.server";
import { listTaxRules } from "./tax.server";
import type { Tx } from "../db.server";
import { zodMessage } from "../lib/api.server";

/** The database client a cart operation uses: the app's, or a transaction it is part of. */
type Client = typeof db | Tx;
/**
 * What a cart's totals need from Shopify: its variants' facts, its discount codes, and the
 * shop's pricing. Read before a write's transaction, so no network call happens inside it.
 */
export interface Facts {
  variants: Map<string, VariantFacts | null>;
  discounts: Map<string, DiscountLookup>;
  pricing?: ShopPricing;
  /** The external rate service's quote for the cart as it was read (absent: not quoted yet). */
  externalRates?: ShippingRate[];
}
export interface CartOptions {
  client?: Client;
  facts?: Facts;
}

/** Runs fn in a transaction, or in the one the caller already has. */
async function inTransaction<T>(client: Client, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return client === db ? db.$transaction(fn) : fn(client as Tx);
}

/** The facts for these variants and codes: those already known, the rest fetched. */
async function factsFor(shop: string, currency: string, variantIds: string[], codes: string[], known?: Facts): Promise<Facts> {
  const missing = variantIds.filter((id) => !known?.variants.has(id));
  const fetched = missing.length ? await variantFacts(shop, missing) : new Map<string, VariantFacts | null>();
  const discounts = new Map(known?.discounts ?? []);
  for (const code of codes) if (!discounts.has(code)) discounts.set(code, await lookupDiscountCode(shop, code, currency));
  return { variants: new Map([...(known?.variants ?? []), ...fetched]), discounts, pricing: known?.pricing ?? (await shopPricing(shop)) };
}

const codesOf = (cart: { discountCodes: string }) => JSON.parse(cart.discountCodes) as string[];

export const MAX_LINE_QUANTITY = 999;
export const MAX_CART_LINES = 250;

export class CartError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "CartError";
  }
}

const cartId = z.string().uuid("cart ids are UUIDs");
export const variantIdSchema = z.string().regex(/^gid:\/\/shopify\/ProductVariant\/\d+$/, "variantId must be a Shopify ProductVariant gid");
export const quantitySchema = z
  .number({ invalid_type_error: "quantity must be a number" })
  .int("quantity must be a whole number")
  .min(1, "quantity must be at least 1")
  .max(MAX_LINE_QUANTITY, `quantity must be at most ${MAX_LINE_QUANTITY}`);

type CartRow = NonNullable<Awaited<ReturnType<typeof db.cart.findFirst>>>;

async function findCart(shop: string, id: string, client: Client = db) {
  if (!cartId.safeParse(id).success) return null;
  return client.cart.findFirst({ where: { id, shop } });
}

async function requireCart(shop: string, id: string, client: Client = db) {
  const cart = await findCart(shop, id, client);
  if (!cart) throw new CartError(404, "cart_not_found", `No cart ${id} in this shop`);
  return cart;
}

/**
 * The cart for this token in this shop, or a new one (a cart token from another shop is not
 * found). With a signed-in customer: their cart, into which the guest's cart is merged (rules
 * in docs/decisions/012-carts.md); a customer's cart is never found by its token alone.
 */
export async function getOrCreateCart(
  shop: string,
  token: string | null | undefined,
  currency: string,
  { client = db, customerId = null }: CartOptions & { customerId?: string | null } = {},
): Promise<{ cart: CartRow; created: boolean; merged?: boolean }> {
  const found = token ? await findCart(shop, token, client) : null;
  const guest = found && !found.mergedIntoId && !found.convertedAt && (found.customerId === null || found.customerId === customerId) ? found : null;
  const touch = async (cart: CartRow, created = false) => ({
    cart: await client.cart.update({ where: { id: cart.id }, data: { lastActivityAt: new Date() } }),
    created,
  });
  if (!customerId || guest?.customerId === customerId) {
    if (guest) return touch(guest);
    return { cart: await client.cart.create({ data: { id: randomUUID(), shop, currency, customerId } }), created: true };
  }
  const own = await customersCart(shop, customerId, client);
  if (own && guest) return { cart: await inTransaction(client, (tx) => mergeGuestCart(tx, guest, own)), created: false, merged: true };
  if (guest) return { cart: await client.cart.update({ where: { id: guest.id }, data: { customerId, lastActivityAt: new Date() } }), created: false };
  if (own) return touch(own);
  return { cart: await client.cart.create({ data: { id: randomUUID(), shop, currency, customerId } }), created: true };
}

/** The customer's open cart (the most recently used, should two devices have made one each). */
export function customersCart(shop: string, customerId: string, client: Client = db) {
  return client.cart.findFirst({ where: { shop, customerId, convertedAt: null, mergedIntoId: null }, orderBy: { lastActivityAt: "desc" } });
}

/**
 * At sign-in the guest's cart joins the customer's: each guest line is added (the same variant
 * keeps the larger quantity, so items chosen on both devices are not doubled); the customer's
 * contact, addresses, codes and shipping choice stay, the guest's fill what is missing. The
 * guest cart is retired (mergedIntoId), so its token no longer reaches anything.
 */
async function mergeGuestCart(tx: Tx, guest: CartRow, own: CartRow): Promise<CartRow> {
  // The customer's cart row first, as every cart write takes it: no add slips in between.
  await tx.cart.updateMany({ where: { id: own.id }, data: { lastActivityAt: new Date() } });
  const [guestLines, ownLines] = await Promise.all([
    tx.cartLine.findMany({ where: { cartId: guest.id }, orderBy: { createdAt: "asc" } }),
    tx.cartLine.findMany({ where: { cartId: own.id } }),
  ]);
  let lineCount = ownLines.length;
  for (const line of guestLines) {
    const same = ownLines.find((l) => l.variantId === line.variantId);
    if (same) {
      // Raised to the guest's quantity only where it is lower, in the statement itself.
      await tx.cartLine.updateMany({ where: { id: same.id, quantity: { lt: line.quantity } }, data: { quantity: line.quantity } });
    } else if (lineCount < MAX_CART_LINES) {
      await tx.cartLine.update({ where: { id: line.id }, data: { cartId: own.id } });
      lineCount++;
    }
  }
  const ownCodes = codesOf(own);
  await tx.cart.update({ where: { id: guest.id }, data: { mergedIntoId: own.id, lastActivityAt: new Date() } });
  return tx.cart.update({
    where: { id: own.id },
    data: {
      email: own.email ?? guest.email,
      phone: own.phone ?? guest.phone,
      shippingAddress: own.shippingAddress ?? guest.shippingAddress,
      billingAddress: own.shippingAddress ? own.billingAddress : guest.billingAddress,
      discountCodes: ownCodes.length ? own.discountCodes : guest.discountCodes,
      shippingRateId: own.shippingRateId ?? guest.shippingRateId,
      totalsVersion: { increment: 1 },
      totalsReason: "guest cart merged at sign-in",
      lastActivityAt: new Date(),
    },
  });
}

/** A cart that belongs to a customer answers only to that customer's token; to anyone else it does not exist. */
export async function requireCartAccess(shop: string, id: string, customerId: string | null) {
  const cart = await findCart(shop, id, db);
  if (!cart || (cart.customerId !== null && cart.customerId !== customerId) || cart.mergedIntoId)
    throw new CartError(404, "cart_not_found", `No cart ${id} in this shop`);
}

export async function listLines(shop: string, id: string, { client = db }: CartOptions = {}) {
  await requireCart(shop, id, client);
  return client.cartLine.findMany({ where: { cartId: id, shop }, orderBy: { createdAt: "asc" } });
}

/** Adds a variant; the same variant again adds to its line. */
export async function addLine(shop: string, id: string, input: { variantId: unknown; quantity: unknown }, { client = db, facts: known }: CartOptions = {}) {
  const variantId = variantIdSchema.safeParse(input.variantId);
  const quantity = quantitySchema.safeParse(input.quantity);
  if (!variantId.success || !quantity.success)
    throw new CartError(400, "invalid_line", [...(variantId.error?.issues ?? []), ...(quantity.error?.issues ?? [])].map((i) => i.message).join("; "));
  const cart = await requireCart(shop, id, client);
  const facts = (await factsFor(shop, cart.currency, [variantId.data], [], known)).variants.get(variantId.data);
  if (!facts) throw new CartError(422, "unknown_variant", `${variantId.data} is not sold by this shop`);
  if (!facts.availableForSale) throw new CartError(409, "not_available", `${facts.title} is not available for sale`);
  if (facts.currency !== cart.currency)
    throw new CartError(422, "currency_mismatch", `${facts.title} is priced in ${facts.currency}, the cart in ${cart.currency}`);
  return inTransaction(client, async (tx) => {
    // The cart's row first: on PostgreSQL this orders every write to one cart (the line cap
    // below is then exact); SQLite has one writer at a time anyway.
    await tx.cart.updateMany({ where: { id }, data: { lastActivityAt: new Date() } });
    const now = new Date();
    const stamp = currentDatabaseProvider() === "postgres" ? now : sqliteTimestamp(now);
    // One statement adds to the line or creates it: concurrent adds of one variant each add
    // their own units, and a race to create the line is an increment, not a unique violation.
    // A full cart can still add to the lines it has.
    const full = (await tx.cartLine.count({ where: { cartId: id } })) >= MAX_CART_LINES;
    const added = full
      ? await tx.$queryRaw<{ id: string }[]>`
          UPDATE "CartLine" SET "quantity" = "quantity" + ${quantity.data}, "updatedAt" = ${stamp}
          WHERE "cartId" = ${id} AND "variantId" = ${facts.variantId} AND "quantity" + ${quantity.data} <= ${MAX_LINE_QUANTITY}
          RETURNING "id"`
      : await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO "CartLine" ("id", "cartId", "shop", "variantId", "productId", "title", "quantity", "unitPrice", "requiresShipping", "weightGrams", "createdAt", "updatedAt")
          VALUES (${randomUUID()}, ${id}, ${shop}, ${facts.variantId}, ${facts.productId}, ${facts.title}, ${quantity.data}, ${facts.unitPrice}, ${facts.requiresShipping}, ${facts.weightGrams}, ${stamp}, ${stamp})
          ON CONFLICT ("cartId", "variantId") DO UPDATE SET "quantity" = "CartLine"."quantity" + excluded."quantity", "updatedAt" = excluded."updatedAt"
            WHERE "CartLine"."quantity" + excluded."quantity" <= ${MAX_LINE_QUANTITY}
          RETURNING "id"`;
    if (added.length) return tx.cartLine.findUniqueOrThrow({ where: { id: added[0].id } });
    // Nothing written: say which limit refused it.
    const existing = await tx.cartLine.findUnique({ where: { cartId_variantId: { cartId: id, variantId: facts.variantId } } });
    if (existing) throw new CartError(400, "invalid_line", `a line holds at most ${MAX_LINE_QUANTITY} units (this one has ${existing.quantity})`);
    throw new CartError(400, "too_many_lines", `a cart holds at most ${MAX_CART_LINES} lines`);
  });
}

/** How Prisma's SQLite adapter stores a DateTime (ISO 8601 with an explicit offset). */
const sqliteTimestamp = (d: Date) => d.toISOString().replace("Z", "+00:00");

export async function updateLineQuantity(shop: string, id: string, lineId: string, input: unknown, { client = db }: CartOptions = {}) {
  const quantity = quantitySchema.safeParse(input);
  if (!quantity.success) throw new CartError(400, "invalid_line", quantity.error.issues.map((i) => i.message).join("; "));
  await requireCart(shop, id, client);
  const { count } = await client.cartLine.updateMany({ where: { id: lineId, cartId: id, shop }, data: { quantity: quantity.data } });
  if (!count) throw new CartError(404, "line_not_found", `No line ${lineId} in this cart`);
  await client.cart.update({ where: { id }, data: { lastActivityAt: new Date() } });
  return client.cartLine.findUniqueOrThrow({ where: { id: lineId } });
}

/** Removes every named line, or none when one of them is not in the cart. */
export async function removeLines(shop: string, id: string, lineIds: unknown, { client = db }: CartOptions = {}) {
  const ids = z.array(z.string().min(1)).min(1, "name at least one line").max(MAX_CART_LINES).safeParse(lineIds);
  if (!ids.success) throw new CartError(400, "invalid_request", ids.error.issues.map((i) => i.message).join("; "));
  await requireCart(shop, id, client);
  await inTransaction(client, async (tx) => {
    const { count } = await tx.cartLine.deleteMany({ where: { id: { in: ids.data }, cartId: id, shop } });
    if (count !== new Set(ids.data).size) throw new CartError(404, "line_not_found", "Some of these lines are not in this cart; nothing was removed");
    await tx.cart.update({ where: { id }, data: { lastActivityAt: new Date() } });
  });
}

export interface CartTotalsAnswer extends Totals {
  priceChanges: { lineId: string; title: string; was: string; now: string }[];
  discountCodes: CodeStatus[];
}

/** Totals at today's prices; a price that changed since a line was added is reported. */
type LineRow = Awaited<ReturnType<typeof db.cartLine.findMany>>[number];

async function loadCart(shop: string, id: string, client: Client) {
  const cart = await requireCart(shop, id, client);
  const lines = await client.cartLine.findMany({ where: { cartId: id, shop }, orderBy: { createdAt: "asc" } });
  return { cart, lines };
}

async function totalsOf(shop: string, cart: CartRow, lines: LineRow[], client: Client, known?: Facts): Promise<CartTotalsAnswer> {
  const codes = codesOf(cart);
  const facts = await factsFor(
    shop,
    cart.currency,
    lines.map((l) => l.variantId),
    codes,
    known,
  );
  const priceChanges: CartTotalsAnswer["priceChanges"] = [];
  const [shippingRates, taxRules] = await Promise.all([listShippingRates(shop, client), listTaxRules(shop, client)]);
  const destination = cart.shippingAddress ? (JSON.parse(cart.shippingAddress) as { country: string; province?: string }) : null;
  const country = destination ? destination.country.toUpperCase() : null;
  const pricedLines = lines.map((l) => {
    const current = facts.variants.get(l.variantId);
    const unitPrice = current?.unitPrice ?? l.unitPrice;
    if (unitPrice !== l.unitPrice)
      priceChanges.push({ lineId: l.id, title: l.title, was: formatDecimal(l.unitPrice, cart.currency), now: formatDecimal(unitPrice, cart.currency) });
    return { ...l, unitPrice };
  });
  const rules = new Map(
    codes.map((code) => {
      const lookup = facts.discounts.get(code);
      return [code, lookup?.ok ? lookup.rule : { unusable: lookup?.message ?? "This code could not be checked" }] as const;
    }),
  );
  const discounts = evaluateDiscounts(codes, rules, pricedLines, country, (minor) => `${formatDecimal(minor, cart.currency)} ${cart.currency}`);
  // Outside a transaction the rate service is asked now; inside one, what was quoted before it.
  const externalRates = known?.externalRates ?? (client === db ? await externalRatesFor(shop, cart, pricedLines) : []);
  const totals = calculateTotals({
    currency: cart.currency,
    shippingRates: [...shippingRates, ...externalRates],
    taxRules,
    pricesIncludeTax: facts.pricing?.taxesIncluded ?? false,
    destination: country ? { country, ...(destination!.province ? { province: destination!.province.toUpperCase() } : {}) } : null,
    chosenShippingRateId: cart.shippingRateId,
    lineDiscounts: discounts.lineDiscounts,
    orderDiscounts: discounts.orderDiscounts,
    shippingDiscounts: discounts.shippingDiscounts,
    lines: pricedLines.map((l) => ({
      id: l.id,
      variantId: l.variantId,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      taxable: true,
      requiresShipping: l.requiresShipping,
      weightGrams: l.weightGrams,
    })),
  });
  return { ...totals, priceChanges, discountCodes: discounts.codes };
}

export async function cartTotals(shop: string, id: string, { client = db, facts }: CartOptions = {}): Promise<CartTotalsAnswer> {
  const { cart, lines } = await loadCart(shop, id, client);
  return totalsOf(shop, cart, lines, client, facts);
}

/** The external rate service's rates for the cart as it is (none without a service, an address or anything to ship). */
async function externalRatesFor(shop: string, cart: CartRow, lines: (LineRow & { unitPrice: number })[]): Promise<ShippingRate[]> {
  if (!cart.shippingAddress || !lines.some((l) => l.requiresShipping)) return [];
  const provider = await rateProviderOf(shop);
  if (!provider) return [];
  const address = JSON.parse(cart.shippingAddress) as { country: string; province?: string; city?: string; zip?: string; address1?: string };
  return quoteRates(shop, provider, {
    currency: cart.currency,
    destination: { country: address.country.toUpperCase(), province: address.province, city: address.city, zip: address.zip, address1: address.address1 },
    items: lines.map((l) => ({
      variantId: l.variantId,
      productId: l.productId,
      title: l.title,
      quantity: l.quantity,
      grams: l.weightGrams,
      price: l.unitPrice,
      requiresShipping: l.requiresShipping,
    })),
  });
}

/** Facts for several carts at once (a guest's and a customer's, before a merge). */
export async function prefetchFactsForCarts(shop: string, cartIds: (string | null)[]): Promise<Facts> {
  const all = await Promise.all(cartIds.map((id) => prefetchFacts(shop, id)));
  // External rates are per cart: left out, so the merged cart is quoted when it is next read.
  return {
    variants: new Map(all.flatMap((f) => [...f.variants])),
    discounts: new Map(all.flatMap((f) => [...f.discounts])),
    pricing: all[0]?.pricing,
    externalRates: [],
  };
}

/**
 * The facts a write to this cart may need (its lines, its codes, a variant or code about to be
 * added, the shop's pricing), fetched before the write's transaction.
 */
export async function prefetchFacts(shop: string, cartIdOrNull: string | null, extra: { variantIds?: string[]; codes?: string[] } = {}): Promise<Facts> {
  const cart = cartIdOrNull && cartId.safeParse(cartIdOrNull).success ? await db.cart.findFirst({ where: { id: cartIdOrNull, shop } }) : null;
  const lines = cart ? await db.cartLine.findMany({ where: { cartId: cartIdOrNull!, shop }, orderBy: { createdAt: "asc" } }) : [];
  const pricing = await shopPricing(shop);
  const variantIds = [...new Set([...lines.map((l) => l.variantId), ...(extra.variantIds ?? []).filter((v) => variantIdSchema.safeParse(v).success)])];
  const codes = [
    ...new Set([...(cart ? codesOf(cart) : []), ...(extra.codes ?? []).filter((c) => discountCodeSchema.safeParse(c).success).map(normalizeCode)]),
  ];
  const facts = await factsFor(shop, cart?.currency ?? pricing.currency, variantIds, codes, { variants: new Map(), discounts: new Map(), pricing });
  if (cart)
    facts.externalRates = await externalRatesFor(
      shop,
      cart,
      lines.map((l) => ({ ...l, unitPrice: facts.variants.get(l.variantId)?.unitPrice ?? l.unitPrice })),
    );
  return facts;
}

/** What the API answers for a cart: the cart, its lines and fresh totals (or none, when they come later). */
export async function cartView(shop: string, id: string, options: CartOptions & { totals?: boolean } = {}) {
  const client = options.client ?? db;
  const { cart, lines } = await loadCart(shop, id, client);
  const totals = options.totals === false ? null : await totalsOf(shop, cart, lines, client, options.facts);
  const billing = cart.billingAddress ?? cart.shippingAddress;
  return {
    cart: {
      id: cart.id,
      currency: cart.currency,
      email: cart.email,
      phone: cart.phone,
      shippingAddress: cart.shippingAddress ? JSON.parse(cart.shippingAddress) : null,
      billingAddress: billing ? JSON.parse(billing) : null,
      createdAt: cart.createdAt.toISOString(),
      lastActivityAt: cart.lastActivityAt.toISOString(),
    },
    lines: lines.map((l) => ({
      id: l.id,
      variantId: l.variantId,
      productId: l.productId,
      title: l.title,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      requiresShipping: l.requiresShipping,
    })),
    totals,
    totalsVersion: cart.totalsVersion,
    checkoutUrl: checkoutLink(shop, cart.id, cart.customerId),
  };
}

export const contactSchema = z
  .object({
    email: z.string().trim().toLowerCase().email("email must be an email address").max(254).nullish(),
    phone: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{6,14}$/, "phone must be in E.164 form, such as +14155550123")
      .nullish(),
  })
  .strict()
  .refine((c) => c.email !== undefined || c.phone !== undefined, "give an email, a phone, or both");

// ISO 3166-1 alpha-2 codes, as ICU knows them (built once, on first use).
let countries: Set<string> | undefined;
function isCountryCode(code: string) {
  if (!countries) {
    const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
    countries = new Set();
    for (let a = 65; a <= 90; a++)
      for (let b = 65; b <= 90; b++) {
        const candidate = String.fromCharCode(a, b);
        // Not countries: the user-assigned ranges (AA, QM–QZ, XA–XZ, ZZ) and groupings ICU names.
        if (/^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/.test(candidate)) continue;
        if (names.of(candidate)) countries.add(candidate);
      }
  }
  return countries.has(code);
}

export const addressSchema = z
  .object({
    firstName: z.string().trim().max(100).optional(),
    lastName: z.string().trim().min(1, "lastName is required").max(100),
    company: z.string().trim().max(100).optional(),
    address1: z.string().trim().min(1, "address1 is required").max(200),
    address2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1, "city is required").max(100),
    province: z.string().trim().max(10).optional(),
    zip: z.string().trim().max(20).optional(),
    country: z.string().trim().toUpperCase().refine(isCountryCode, "country must be an ISO 3166-1 alpha-2 code such as US"),
    phone: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{6,14}$/, "phone must be in E.164 form")
      .optional(),
  })
  .strict();
export const addressesSchema = z.object({ shippingAddress: addressSchema, billingAddress: addressSchema.nullish() }).strict();

export async function setContact(shop: string, id: string, input: unknown, { client = db }: CartOptions = {}) {
  const parsed = contactSchema.safeParse(input);
  if (!parsed.success) throw new CartError(400, "invalid_contact", zodMessage(parsed.error.issues));
  await requireCart(shop, id, client);
  await client.cart.update({
    where: { id },
    data: {
      ...("email" in parsed.data ? { email: parsed.data.email ?? null } : {}),
      ...("phone" in parsed.data ? { phone: parsed.data.phone ?? null } : {}),
      lastActivityAt: new Date(),
    },
  });
}

/** Billing is the shipping address unless one is given. */
export async function setAddresses(shop: string, id: string, input: unknown, { client = db }: CartOptions = {}) {
  const parsed = addressesSchema.safeParse(input);
  if (!parsed.success) throw new CartError(400, "invalid_address", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  await requireCart(shop, id, client);
  await client.cart.update({
    where: { id },
    data: {
      shippingAddress: JSON.stringify(parsed.data.shippingAddress),
      billingAddress: parsed.data.billingAddress ? JSON.stringify(parsed.data.billingAddress) : null,
      lastActivityAt: new Date(),
    },
  });
}

/** Chooses one of the shipping rates that apply to the cart now. */
export async function chooseShippingRate(shop: string, id: string, input: unknown, options: CartOptions = {}) {
  const client = options.client ?? db;
  const rateId = z
    .object({ rateId: z.string().min(1, "rateId is required") })
    .strict()
    .safeParse(input);
  if (!rateId.success) throw new CartError(400, "invalid_request", zodMessage(rateId.error.issues));
  const totals = await cartTotals(shop, id, options);
  if (!totals.availableShippingRates.some((r) => r.id === rateId.data.rateId))
    throw new CartError(422, "shipping_rate_unavailable", `Rate ${rateId.data.rateId} does not apply to this cart; choose one of its available rates`);
  await client.cart.update({ where: { id }, data: { shippingRateId: rateId.data.rateId, lastActivityAt: new Date() } });
}

export const MAX_DISCOUNT_CODES = 5;
export const discountCodeSchema = z
  .string({ invalid_type_error: "code must be a string" })
  .trim()
  .min(1, "code is required")
  .max(64, "a code is at most 64 characters");

/**
 * Applies a Shopify discount code to the cart. An unknown, inactive, used-up or unsupported code
 * is refused (422) and changes nothing; a code that cannot be combined with one already applied
 * is refused (409). A code whose minimum is not met yet is kept and shown as not applied, with why.
 */
export async function applyDiscountCode(shop: string, id: string, input: unknown, options: CartOptions = {}) {
  const parsed = z.object({ code: discountCodeSchema }).strict().safeParse(input);
  if (!parsed.success) throw new CartError(400, "invalid_request", zodMessage(parsed.error.issues));
  const code = normalizeCode(parsed.data.code);
  await changeCodes(shop, id, options.client ?? db, async (codes, cart) => {
    if (codes.includes(code)) return null;
    if (codes.length >= MAX_DISCOUNT_CODES) throw new CartError(422, "too_many_discount_codes", `A cart takes at most ${MAX_DISCOUNT_CODES} discount codes`);
    const facts = await factsFor(shop, cart.currency, [], [...codes, code], options.facts);
    const lookup = facts.discounts.get(code)!;
    if (!lookup.ok) throw new CartError(422, lookup.code, lookup.message);
    for (const other of codes) {
      const applied = facts.discounts.get(other);
      if (applied?.ok && !combinable(lookup.rule, applied.rule))
        throw new CartError(409, "discount_code_not_combinable", `${code} cannot be combined with ${other}; remove ${other} to use ${code}`);
    }
    return [...codes, code];
  });
}

export async function removeDiscountCode(shop: string, id: string, rawCode: string, { client = db }: CartOptions = {}) {
  const code = normalizeCode(rawCode);
  await changeCodes(shop, id, client, async (codes) => {
    if (!codes.includes(code)) throw new CartError(404, "discount_code_not_applied", `${code} is not applied to this cart`);
    return codes.filter((c) => c !== code);
  });
}

/**
 * Changes a cart's codes with a compare-and-set: the new list is written only where the list is
 * still the one it was computed from, in one conditional statement; a write that lost a race
 * is computed again from what won (so two codes applied at once are both kept, and every
 * check, such as combinability, is made against the list that is really there).
 */
async function changeCodes(shop: string, id: string, client: Client, change: (codes: string[], cart: CartRow) => Promise<string[] | null>) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const cart = await requireCart(shop, id, client);
    const next = await change(codesOf(cart), cart);
    if (next === null) return;
    const { count } = await client.cart.updateMany({
      where: { id, shop, discountCodes: cart.discountCodes },
      data: { discountCodes: JSON.stringify(next), lastActivityAt: new Date() },
    });
    if (count) return;
  }
  throw new CartError(409, "cart_busy", "The cart's discount codes kept changing while this change was made; try again");
}

/** A cart with lines and no activity for this long, not converted, counts as abandoned. */
export const ABANDONED_AFTER_HOURS = 24;

/**
 * Marks carts left with lines for ABANDONED_AFTER_HOURS as abandoned, a batch at a time. The mark
 * stays if the shopper comes back (lastActivityAt after abandonedAt means recovered), so both
 * abandonment and recovery can be counted. Returns how many were marked.
 */
export async function markAbandonedCarts(now = new Date(), batchSize = 500): Promise<number> {
  const idleSince = new Date(now.getTime() - ABANDONED_AFTER_HOURS * 3600_000);
  const idle = await db.cart.findMany({
    where: { abandonedAt: null, convertedAt: null, mergedIntoId: null, lastActivityAt: { lt: idleSince } },
    select: { id: true },
    take: batchSize,
    orderBy: { lastActivityAt: "asc" },
  });
  if (!idle.length) return 0;
  const withLines = await db.cartLine.groupBy({ by: ["cartId"], where: { cartId: { in: idle.map((c) => c.id) } } });
  const { count } = await db.cart.updateMany({
    where: { id: { in: withLines.map((l) => l.cartId) }, abandonedAt: null, convertedAt: null, lastActivityAt: { lt: idleSince } },
    data: { abandonedAt: now },
  });
  return count;
}
