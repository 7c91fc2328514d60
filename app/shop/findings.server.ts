// The Findings page (issue 14): what the reconcilers found, newest first, by kind and by whether
// it was repaired, a page at a time (keyset on the shop's index by time).
import { z } from "zod";
import db from "../db.server";
import { FINDINGS } from "./findings";

export const FINDINGS_PAGE_SIZE = 50;

export const findingsFilterSchema = z.object({
  kind: z.enum(["all", ...(Object.keys(FINDINGS) as [string, ...string[]])]).default("all"),
  repaired: z.enum(["all", "yes", "no"]).default("all"),
  cursor: z
    .string()
    .regex(/^\d{1,12}$/)
    .optional(),
});
export type FindingsFilter = z.infer<typeof findingsFilterSchema>;

export async function listFindings(shop: string, filter: FindingsFilter) {
  const before = filter.cursor ? Number(filter.cursor) : undefined;
  const rows = await db.reconcileFinding.findMany({
    where: {
      shop,
      ...(filter.kind !== "all" ? { kind: filter.kind } : {}),
      ...(filter.repaired !== "all" ? { repaired: filter.repaired === "yes" } : {}),
      ...(before ? { id: { lt: before } } : {}),
    },
    orderBy: { id: "desc" },
    take: FINDINGS_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, FINDINGS_PAGE_SIZE);
  return {
    findings: page.map((f) => ({
      id: f.id,
      kind: f.kind,
      subject: f.subject,
      found: describeDetail(f.detail),
      repaired: f.repaired,
      at: f.at.toISOString(),
    })),
    next: rows.length > FINDINGS_PAGE_SIZE ? String(page[page.length - 1].id) : null,
  };
}

/** "expected 5, found 7": a finding's detail (JSON) in a line. */
function describeDetail(detail: string): string {
  try {
    const d = JSON.parse(detail) as Record<string, unknown>;
    return Object.entries(d)
      .map(([k, v]) => `${k.replace(/([A-Z])/g, " $1").toLowerCase()}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
      .join("; ");
  } catch {
    return detail;
  }
}
