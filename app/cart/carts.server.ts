// Persistent carts: get-or-create, lines (add, update, remove, list) and their totals. A cart
// belongs to one shop; every read and write is scoped by it.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import db from "../db.server";
import { calculateTotals, type Totals } from "../totals/totals";
import { formatDecimal } from "../totals/money";
import { variantFacts } from "./products.server";

export const MAX_LINE_QUANTITY = 999;
export const MAX_CART_LINES = 250;

export class CartError extends Error {
  constructor(readonly status: 400 | 404 | 409 | 422, readonly code: string, message: string) {
    super(message);
    this.name = "CartError";
  }
}

const cartId = z.string().uuid("cart ids are UUIDs");
export const variantIdSchema = z.string().regex(/^gid:\/\/shopify\/ProductVariant\/\d+$/, "variantId must be a Shopify ProductVariant gid");
export const quantitySchema = z.number({ invalid_type_error: "quantity must be a number" }).int("quantity must be a whole number").min(1, "quantity must be at least 1").max(MAX_LINE_QUANTITY, `quantity must be at most ${MAX_LINE_QUANTITY}`);

async function findCart(shop: string, id: string) {
  if (!cartId.safeParse(id).success) return null;
  return db.cart.findFirst({ where: { id, shop } });
}

async function requireCart(shop: string, id: string) {
  const cart = await findCart(shop, id);
  if (!cart) throw new CartError(404, "cart_not_found", `No cart ${id} in this shop`);
  return cart;
}

/** The cart with this token in this shop, or a new one (a cart token from another shop is not found). */
export async function getOrCreateCart(shop: string, token: string | null | undefined, currency: string) {
  const existing = token ? await findCart(shop, token) : null;
  if (existing) {
    return { cart: await db.cart.update({ where: { id: existing.id }, data: { lastActivityAt: new Date() } }), created: false };
  }
  return { cart: await db.cart.create({ data: { id: randomUUID(), shop, currency } }), created: true };
}

export async function listLines(shop: string, id: string) {
  await requireCart(shop, id);
  return db.cartLine.findMany({ where: { cartId: id, shop }, orderBy: { createdAt: "asc" } });
}

/** Adds a variant; the same variant again adds to its line. */
export async function addLine(shop: string, id: string, input: { variantId: unknown; quantity: unknown }) {
  const variantId = variantIdSchema.safeParse(input.variantId);
  const quantity = quantitySchema.safeParse(input.quantity);
  if (!variantId.success || !quantity.success)
    throw new CartError(400, "invalid_line", [...(variantId.error?.issues ?? []), ...(quantity.error?.issues ?? [])].map((i) => i.message).join("; "));
  const cart = await requireCart(shop, id);
  const facts = (await variantFacts(shop, [variantId.data])).get(variantId.data);
  if (!facts) throw new CartError(422, "unknown_variant", `${variantId.data} is not sold by this shop`);
  if (!facts.availableForSale) throw new CartError(409, "not_available", `${facts.title} is not available for sale`);
  if (facts.currency !== cart.currency) throw new CartError(422, "currency_mismatch", `${facts.title} is priced in ${facts.currency}, the cart in ${cart.currency}`);
  return db.$transaction(async (tx) => {
    const existing = await tx.cartLine.findUnique({ where: { cartId_variantId: { cartId: id, variantId: variantId.data } } });
    if (existing) {
      if (existing.quantity + quantity.data > MAX_LINE_QUANTITY)
        throw new CartError(400, "invalid_line", `a line holds at most ${MAX_LINE_QUANTITY} units (this one has ${existing.quantity})`);
      const line = await tx.cartLine.update({ where: { id: existing.id }, data: { quantity: existing.quantity + quantity.data } });
      await tx.cart.update({ where: { id }, data: { lastActivityAt: new Date() } });
      return line;
    }
    if ((await tx.cartLine.count({ where: { cartId: id } })) >= MAX_CART_LINES)
      throw new CartError(400, "too_many_lines", `a cart holds at most ${MAX_CART_LINES} lines`);
    const line = await tx.cartLine.create({
      data: {
        id: randomUUID(), cartId: id, shop, variantId: facts.variantId, productId: facts.productId, title: facts.title,
        quantity: quantity.data, unitPrice: facts.unitPrice, requiresShipping: facts.requiresShipping, weightGrams: facts.weightGrams,
      },
    });
    await tx.cart.update({ where: { id }, data: { lastActivityAt: new Date() } });
    return line;
  });
}

export async function updateLineQuantity(shop: string, id: string, lineId: string, input: unknown) {
  const quantity = quantitySchema.safeParse(input);
  if (!quantity.success) throw new CartError(400, "invalid_line", quantity.error.issues.map((i) => i.message).join("; "));
  await requireCart(shop, id);
  const { count } = await db.cartLine.updateMany({ where: { id: lineId, cartId: id, shop }, data: { quantity: quantity.data } });
  if (!count) throw new CartError(404, "line_not_found", `No line ${lineId} in this cart`);
  await db.cart.update({ where: { id }, data: { lastActivityAt: new Date() } });
  return db.cartLine.findUniqueOrThrow({ where: { id: lineId } });
}

/** Removes every named line, or none when one of them is not in the cart. */
export async function removeLines(shop: string, id: string, lineIds: unknown) {
  const ids = z.array(z.string().min(1)).min(1, "name at least one line").max(MAX_CART_LINES).safeParse(lineIds);
  if (!ids.success) throw new CartError(400, "invalid_request", ids.error.issues.map((i) => i.message).join("; "));
  await requireCart(shop, id);
  await db.$transaction(async (tx) => {
    const { count } = await tx.cartLine.deleteMany({ where: { id: { in: ids.data }, cartId: id, shop } });
    if (count !== new Set(ids.data).size) throw new CartError(404, "line_not_found", "Some of these lines are not in this cart; nothing was removed");
    await tx.cart.update({ where: { id }, data: { lastActivityAt: new Date() } });
  });
}

export interface CartTotalsAnswer extends Totals { priceChanges: { lineId: string; title: string; was: string; now: string }[] }

/** Totals at today's prices; a price that changed since a line was added is reported. */
export async function cartTotals(shop: string, id: string): Promise<CartTotalsAnswer> {
  const cart = await requireCart(shop, id);
  const lines = await db.cartLine.findMany({ where: { cartId: id, shop }, orderBy: { createdAt: "asc" } });
  const facts = await variantFacts(shop, lines.map((l) => l.variantId));
  const priceChanges: CartTotalsAnswer["priceChanges"] = [];
  const totals = calculateTotals({
    currency: cart.currency,
    lines: lines.map((l) => {
      const current = facts.get(l.variantId);
      const unitPrice = current?.unitPrice ?? l.unitPrice;
      if (unitPrice !== l.unitPrice)
        priceChanges.push({ lineId: l.id, title: l.title, was: formatDecimal(l.unitPrice, cart.currency), now: formatDecimal(unitPrice, cart.currency) });
      return { id: l.id, variantId: l.variantId, quantity: l.quantity, unitPrice, taxable: true, requiresShipping: l.requiresShipping, weightGrams: l.weightGrams };
    }),
  });
  return { ...totals, priceChanges };
}
