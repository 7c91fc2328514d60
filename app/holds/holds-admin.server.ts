// The merchant's view of holds (issue 14): the shop's holds newest first, filtered by state and
// kind, a page at a time by keyset (fast at any depth: the index on shop, createdAt, id), each
// with its owner, lines and time left; a hold's page with its history and its Shopify mirror
// moves; release by hand with a reason, recorded on the hold's history.
import { z } from "zod";
import db from "../db.server";
import { adminGraphql, requestRetryPolicy, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { ACTIVE_STATES, history, release, status, type HoldLineInput, type HoldStatus } from "./holds.server";
import { describeOwner } from "./owners";
import { afterPlace, CURSOR_PATTERN, decodeCursor, encodeCursor } from "../lib/keyset";
import { productGid } from "./strategy.server";

export const HOLDS_PAGE_SIZE = 50;

export const holdListFilterSchema = z.object({
  state: z.enum(["all", "active", "committed", "released", "expired"]).default("all"),
  kind: z.enum(["all", "soft", "hard"]).default("all"),
  // A product, by its number or gid: holds taking any of its variants.
  product: z.preprocess((v) => (typeof v === "string" && /^\d+$/.test(v.trim()) ? `gid://shopify/Product/${v.trim()}` : v), productGid.optional()),
  cursor: z.string().regex(CURSOR_PATTERN).optional(),
});
export type HoldListFilter = z.infer<typeof holdListFilterSchema>;

export interface HoldRowView {
  id: string;
  owner: string;
  kind: string;
  state: string;
  reason: string;
  lines: (HoldLineInput & { title: string })[];
  remainingSeconds: number;
  createdAt: string;
}

const QUERY_ITEM_TITLES = `#graphql
  query HoldAdminItemTitles($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        variant { displayName }
      }
    }
  }
`;
const titleCache = new Map<string, { title: string; at: number }>();
const TITLE_TTL_MS = 5 * 60_000;
/** Names kept at most: a catalogue of any size stays a bounded cache (oldest forgotten first). */
const TITLE_CACHE_MAX = 20_000;
function rememberTitle(key: string, title: string) {
  if (titleCache.size >= TITLE_CACHE_MAX) titleCache.delete(titleCache.keys().next().value!);
  titleCache.set(key, { title, at: Date.now() });
}

/** Product and variant names for inventory items; an item Shopify cannot name now keeps its id. */
async function itemTitles(shop: string, admin: AdminGraphqlClient | null, items: string[]): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const missing: string[] = [];
  for (const id of new Set(items)) {
    const hit = titleCache.get(`${shop}|${id}`);
    if (hit && Date.now() - hit.at < TITLE_TTL_MS) titles.set(id, hit.title);
    else missing.push(id);
  }
  if (admin)
    for (let i = 0; i < missing.length; i += 100)
      try {
        const { data } = await adminGraphql<{ nodes: ({ id: string; variant: { displayName: string } | null } | null)[] }>(
          admin,
          QUERY_ITEM_TITLES,
          { ids: missing.slice(i, i + 100) },
          requestRetryPolicy,
        );
        for (const n of data.nodes)
          if (n?.variant) {
            // A product with one variant is named by the product alone, as the admin names it.
            const title = n.variant.displayName.replace(/ - Default Title$/, "");
            titles.set(n.id, title);
            rememberTitle(`${shop}|${n.id}`, title);
          }
      } catch {
        // Shopify unreachable: the page still shows the holds, by item id.
      }
  for (const id of items) if (!titles.has(id)) titles.set(id, id);
  return titles;
}

interface HoldRow {
  id: string;
  ownerType: string;
  ownerId: string;
  kind: string;
  state: string;
  stateReason: string;
  lines: string;
  expiresAt: Date;
  createdAt: Date;
}

async function viewsOf(shop: string, admin: AdminGraphqlClient | null, rows: HoldRow[], now: Date): Promise<HoldRowView[]> {
  const parsed = rows.map((r) => ({ ...r, parsedLines: JSON.parse(r.lines) as HoldLineInput[] }));
  const titles = await itemTitles(
    shop,
    admin,
    parsed.flatMap((r) => r.parsedLines.map((l) => l.inventoryItemId)),
  );
  return parsed.map((r) => ({
    id: r.id,
    owner: describeOwner({ type: r.ownerType, id: r.ownerId }),
    kind: r.kind,
    state: r.state,
    reason: r.stateReason,
    lines: r.parsedLines.map((l) => ({ ...l, title: titles.get(l.inventoryItemId) ?? l.inventoryItemId })),
    remainingSeconds: ACTIVE_STATES.includes(r.state as never) ? Math.max(0, Math.floor((r.expiresAt.getTime() - now.getTime()) / 1000)) : 0,
    createdAt: r.createdAt.toISOString(),
  }));
}

const PRODUCT_ITEMS_QUERY = `#graphql
  query HoldAdminProductItems($id: ID!) {
    product(id: $id) {
      title
      variants(first: 100) { nodes { inventoryItem { id } } }
    }
  }
`;

/** Products asked for recently (paging through one product's holds asks Shopify once), by shop and id. */
const productCache = new Map<string, { product: { title: string; items: string[] } | null; at: number }>();
const PRODUCT_TTL_MS = 60_000;

/** A product's title and its variants' inventory items (its first 100); null when Shopify has no such product. */
async function productItems(shop: string, admin: AdminGraphqlClient, productId: string): Promise<{ title: string; items: string[] } | null> {
  const key = `${shop}|${productId}`;
  const hit = productCache.get(key);
  if (hit && Date.now() - hit.at < PRODUCT_TTL_MS) return hit.product;
  const { data } = await adminGraphql<{ product: { title: string; variants: { nodes: { inventoryItem: { id: string } }[] } } | null }>(
    admin,
    PRODUCT_ITEMS_QUERY,
    { id: productId },
    requestRetryPolicy,
  );
  const product = data.product ? { title: data.product.title, items: data.product.variants.nodes.map((v) => v.inventoryItem.id) } : null;
  if (productCache.size >= TITLE_CACHE_MAX) productCache.delete(productCache.keys().next().value!);
  productCache.set(key, { product, at: Date.now() });
  return product;
}

/** One page of the shop's holds, newest first, and the cursor of the next page (none on the last). */
export async function listHolds(shop: string, admin: AdminGraphqlClient | null, filter: HoldListFilter, now = new Date()) {
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  // By product: the holds whose items (HoldItem, written as each hold is placed) include one of its variants'.
  const product = filter.product && admin ? await productItems(shop, admin, filter.product) : null;
  if (filter.product && !product) return { holds: [], next: null, product: { id: filter.product, title: null } };
  const rows = await db.hold.findMany({
    where: {
      shop,
      ...(product ? { items: { some: { inventoryItemId: { in: product.items } } } } : {}),
      ...(filter.state === "active" ? { state: { in: ACTIVE_STATES } } : filter.state !== "all" ? { state: filter.state } : {}),
      ...(filter.kind !== "all" ? { kind: filter.kind } : {}),
      ...afterPlace(after),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: HOLDS_PAGE_SIZE + 1,
    select: { id: true, ownerType: true, ownerId: true, kind: true, state: true, stateReason: true, lines: true, expiresAt: true, createdAt: true },
  });
  const page = rows.slice(0, HOLDS_PAGE_SIZE);
  return {
    holds: await viewsOf(shop, admin, page, now),
    next: rows.length > HOLDS_PAGE_SIZE ? encodeCursor(page[page.length - 1]) : null,
    product: filter.product ? { id: filter.product, title: product?.title ?? null } : null,
  };
}

/** A hold's page: the hold, every transition in order, and its Shopify mirror moves; null for another shop's. */
export async function holdDetail(shop: string, admin: AdminGraphqlClient | null, holdId: string, now = new Date()) {
  const row = await db.hold.findFirst({ where: { id: holdId, shop } });
  if (!row) return null;
  const [view] = await viewsOf(shop, admin, [row], now);
  const moves = await db.shopifyInventoryMove.findMany({
    where: { shop, holdId },
    orderBy: { createdAt: "asc" },
    select: { action: true, state: true, attempts: true, lastError: true, createdAt: true, doneAt: true },
  });
  return {
    hold: { ...view, expiresAt: row.expiresAt.toISOString(), mirrored: row.shopifyReserve && row.kind === "hard" },
    history: (await history(shop, holdId)).map((h) => ({ ...h, at: h.at.toISOString() })),
    moves: moves.map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), doneAt: m.doneAt?.toISOString() ?? null })),
  };
}

export const releaseByHandSchema = z.object({
  reason: z.string().trim().min(3, "Say why, in a few words (at least 3 characters)").max(200, "Keep the reason under 200 characters"),
});

/** The merchant releases a live hold, saying why; the reason is on the hold's history. Null for another shop's hold. */
export async function releaseByHand(shop: string, holdId: string, reason: string): Promise<{ hold: HoldStatus; released: boolean } | null> {
  const row = await db.hold.findFirst({ where: { id: holdId, shop }, select: { id: true } });
  if (!row) return null;
  const current = await status(shop, holdId);
  if (!ACTIVE_STATES.includes(current.state)) return { hold: current, released: false };
  const after = await release(shop, holdId, `released by the merchant: ${reason}`);
  // Released now, unless it ended some other way in the same moment.
  return { hold: after, released: after.state === "released" };
}
