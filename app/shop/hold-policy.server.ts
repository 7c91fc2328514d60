// The merchant's hold policy: how long a hold lives and which strategy reserves stock.
import { z } from "zod";
import db from "../db.server";
import { HOLD_STRATEGIES, HOLD_TTL_MINUTES, type HoldStrategy } from "./hold-policy";

const ttlMessage = `Hold time must be a whole number of minutes from ${HOLD_TTL_MINUTES.min} to ${HOLD_TTL_MINUTES.max}`;

export const holdPolicySchema = z.object({
  holdTtlMinutes: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
    z
      .number({ required_error: ttlMessage, invalid_type_error: ttlMessage })
      .int(ttlMessage)
      .min(HOLD_TTL_MINUTES.min, ttlMessage)
      .max(HOLD_TTL_MINUTES.max, ttlMessage),
  ),
  holdStrategy: z.enum(HOLD_STRATEGIES, {
    errorMap: () => ({ message: `Strategy must be one of: ${HOLD_STRATEGIES.join(", ")}` }),
  }),
});

export type HoldPolicy = z.infer<typeof holdPolicySchema>;
export type HoldPolicyErrors = Partial<Record<keyof HoldPolicy, string>>;

export async function readHoldPolicy(shop: string): Promise<HoldPolicy> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { holdTtlMinutes: true, holdStrategy: true } });
  return {
    holdTtlMinutes: row?.holdTtlMinutes ?? HOLD_TTL_MINUTES.default,
    holdStrategy: (row?.holdStrategy as HoldStrategy | undefined) ?? "checkout_start",
  };
}

/** Saves a policy if every field is valid; otherwise saves nothing and says what is wrong. */
export async function saveHoldPolicy(shop: string, input: unknown): Promise<{ ok: true; policy: HoldPolicy } | { ok: false; errors: HoldPolicyErrors }> {
  const parsed = holdPolicySchema.safeParse(input);
  if (!parsed.success) {
    const errors: HoldPolicyErrors = {};
    for (const issue of parsed.error.issues) errors[issue.path[0] as keyof HoldPolicy] ??= issue.message;
    return { ok: false, errors };
  }
  await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, ...parsed.data },
    update: parsed.data,
  });
  return { ok: true, policy: parsed.data };
}
