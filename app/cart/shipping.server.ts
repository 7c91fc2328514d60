// The merchant's shipping rates for headless carts (flat or weight bands, optionally free over
// a threshold), and a cart's choice among the rates that apply to it.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import db from "../db.server";
import type { ShippingRate as EngineRate } from "../totals/totals";
import type { Tx } from "../db.server";

const minor = (what: string) =>
  z
    .number({ invalid_type_error: `${what} must be a number` })
    .int(`${what} must be whole minor units`)
    .min(0, `${what} cannot be negative`)
    .max(100_000_000, `${what} is too large`);

export const shippingRateSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("flat"),
      title: z.string().trim().min(1, "Give the rate a title").max(80),
      amount: minor("amount"),
      freeOver: minor("freeOver").nullish(),
    }),
    z.object({
      kind: z.literal("weight"),
      title: z.string().trim().min(1, "Give the rate a title").max(80),
      bands: z
        .array(z.object({ upToGrams: z.number().int().positive("upToGrams must be at least 1").max(1_000_000), amount: minor("amount") }))
        .min(1, "a weight rate needs at least one band")
        .max(20),
      freeOver: minor("freeOver").nullish(),
    }),
  ],
  { errorMap: (issue, ctx) => (issue.code === "invalid_union_discriminator" ? { message: "kind must be flat or weight" } : { message: ctx.defaultError }) },
);

export type ShippingRateInput = z.infer<typeof shippingRateSchema>;

/** The shop's rates; `client` is the transaction a caller is in, if any (never reach around it). */
export async function listShippingRates(shop: string, client: typeof db | Tx = db): Promise<EngineRate[]> {
  const rows = await client.shippingRate.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
  return rows.map((r) =>
    r.kind === "weight"
      ? { id: r.id, title: r.title, kind: "weight" as const, bands: JSON.parse(r.bands ?? "[]"), ...(r.freeOver != null ? { freeOver: r.freeOver } : {}) }
      : { id: r.id, title: r.title, kind: "flat" as const, amount: r.amount ?? 0, ...(r.freeOver != null ? { freeOver: r.freeOver } : {}) },
  );
}

export async function createShippingRate(shop: string, input: ShippingRateInput) {
  return db.shippingRate.create({
    data: {
      id: randomUUID(),
      shop,
      title: input.title,
      kind: input.kind,
      amount: input.kind === "flat" ? input.amount : null,
      bands: input.kind === "weight" ? JSON.stringify([...input.bands].sort((a, b) => a.upToGrams - b.upToGrams)) : null,
      freeOver: input.freeOver ?? null,
    },
  });
}

export async function deleteShippingRate(shop: string, id: string) {
  const { count } = await db.shippingRate.deleteMany({ where: { shop, id } });
  return count === 1;
}
