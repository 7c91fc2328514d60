// What the admin home shows about this shop's Holdfast: local facts from our database and
// live facts from the shop through the Admin API.
import db, { currentDatabaseProvider } from "../db.server";
import { SHOPIFY_API_VERSION } from "../shopify/api-version";
import { adminGraphql, requestRetryPolicy, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { readHoldPolicy } from "./hold-policy.server";
import { recentFindings } from "../holds/reconciler.server";

export const SHOP_OVERVIEW_QUERY = `#graphql
  query ShopOverview {
    shop {
      name
      myshopifyDomain
      currencyCode
      plan { displayName shopifyPlus }
    }
    productsCount { count }
    locations(first: 20) {
      nodes { id name isActive fulfillsOnlineOrders }
    }
  }
`;

interface ShopOverview {
  shop: { name: string; myshopifyDomain: string; currencyCode: string; plan: { displayName: string; shopifyPlus: boolean } };
  productsCount: { count: number } | null;
  locations: { nodes: { id: string; name: string; isActive: boolean; fulfillsOnlineOrders: boolean }[] };
}

export async function shopStatus(shop: string, admin: AdminGraphqlClient) {
  const [record, policy, webhookCounts, openDataRequests, live, activeHolds, heldUnits, movesPending, reservesToQueue, findings] = await Promise.all([
    db.shop.findUnique({ where: { domain: shop } }),
    readHoldPolicy(shop),
    db.webhookEvent.groupBy({ by: ["outcome"], where: { shop }, _count: { _all: true } }),
    db.customerDataRequest.count({ where: { shop } }),
    adminGraphql<ShopOverview>(admin, SHOP_OVERVIEW_QUERY, undefined, requestRetryPolicy),
    db.hold.count({ where: { shop, state: { in: ["held", "extended"] } } }),
    db.stockLevel.aggregate({ where: { shop }, _sum: { held: true } }),
    db.shopifyInventoryMove.groupBy({ by: ["state"], where: { shop, state: { in: ["pending", "parked"] } }, _count: { _all: true } }),
    // Hard holds whose reserve the mirror worker has not yet put in the outbox: pending too.
    db.hold.count({ where: { shop, reservePending: true } }),
    recentFindings(shop, 5),
  ]);
  const moves = Object.fromEntries(movesPending.map((row) => [row.state, row._count._all]));
  if (reservesToQueue) moves.pending = (moves.pending ?? 0) + reservesToQueue;
  const webhooks = Object.fromEntries(webhookCounts.map((row) => [row.outcome, row._count._all]));
  return {
    shop,
    name: live.data.shop.name,
    currencyCode: live.data.shop.currencyCode,
    plan: live.data.shop.plan.displayName,
    shopifyPlus: live.data.shop.plan.shopifyPlus,
    installedAt: record?.installedAt.toISOString() ?? null,
    apiVersion: SHOPIFY_API_VERSION as string,
    database: currentDatabaseProvider(),
    policy,
    counts: {
      products: live.data.productsCount?.count ?? 0,
      locations: live.data.locations.nodes.filter((l) => l.isActive).length,
      webhooksProcessed: webhooks.processed ?? 0,
      webhooksFailed: webhooks.failed ?? 0,
      openDataRequests,
      activeHolds,
      heldUnits: heldUnits._sum.held ?? 0,
      movesPending: moves.pending ?? 0,
      movesParked: moves.parked ?? 0,
    },
    findings: findings.map((f) => ({ id: f.id, kind: f.kind, subject: f.subject, repaired: f.repaired, at: f.at.toISOString() })),
    locations: live.data.locations.nodes,
    queryCost: live.cost?.actualQueryCost ?? null,
  };
}
