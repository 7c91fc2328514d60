// The merchant's tax rules by destination, for cart totals.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import db from "../db.server";
import type { Tx } from "../db.server";
import type { TaxRule } from "../totals/totals";

export const taxRuleSchema = z.object({
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "country must be a two-letter code such as US"),
  province: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{0,3}$/, "province must be a code such as NY, or empty")
    .default(""),
  basisPoints: z
    .number({ invalid_type_error: "rate must be a number" })
    .int("rate must be whole basis points (8.875% is 888 after rounding)")
    .min(0)
    .max(10_000, "rate is at most 100%"),
  shipping: z.boolean().default(false),
});

export async function listTaxRules(shop: string, client: typeof db | Tx = db): Promise<TaxRule[]> {
  const rows = await client.taxRule.findMany({ where: { shop }, orderBy: [{ country: "asc" }, { province: "asc" }] });
  return rows.map((r) => ({ country: r.country, ...(r.province ? { province: r.province } : {}), basisPoints: r.basisPoints, shipping: r.shipping }));
}

export async function setTaxRule(shop: string, input: z.infer<typeof taxRuleSchema>) {
  await db.taxRule.upsert({
    where: { shop_country_province: { shop, country: input.country, province: input.province } },
    create: { id: randomUUID(), shop, ...input },
    update: { basisPoints: input.basisPoints, shipping: input.shipping },
  });
}

export async function removeTaxRule(shop: string, country: string, province: string) {
  const { count } = await db.taxRule.deleteMany({ where: { shop, country, province } });
  return count === 1;
}
