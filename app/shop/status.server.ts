// What the admin home shows about this shop's Holdfast: local facts from our database and
// live facts from the shop through the Admin API.
import db, { currentDatabaseProvider } from "../db.server";
import { SHOPIFY_API_VERSION } from "../shopify/api-version";
import { adminGraphql, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { readHoldPolicy } from "./hold-policy.server";

export const SHOP_OVERVIEW_QUERY = `#graphql
  query ShopOverview {
    shop {
      name
      myshopifyDomain
      currencyCode
      plan { displayName }
    }
    productsCount { count }
    locations(first: 20) {
      nodes { id name isActive fulfillsOnlineOrders }
    }
  }
`;

interface ShopOverview {
  shop: { name: string; myshopifyDomain: string; currencyCode: string; plan: { displayName: string } };
  productsCount: { count: number } | null;
  locations: { nodes: { id: string; name: string; isActive: boolean; fulfillsOnlineOrders: boolean }[] };
}

export async function shopStatus(shop: string, admin: AdminGraphqlClient) {
  const [record, policy, webhookCounts, openDataRequests, live] = await Promise.all([
    db.shop.findUnique({ where: { domain: shop } }),
    readHoldPolicy(shop),
    db.webhookEvent.groupBy({ by: ["outcome"], where: { shop }, _count: { _all: true } }),
    db.customerDataRequest.count({ where: { shop } }),
    adminGraphql<ShopOverview>(admin, SHOP_OVERVIEW_QUERY),
  ]);
  const webhooks = Object.fromEntries(webhookCounts.map((row) => [row.outcome, row._count._all]));
  return {
    shop,
    name: live.data.shop.name,
    currencyCode: live.data.shop.currencyCode,
    plan: live.data.shop.plan.displayName,
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
    },
    locations: live.data.locations.nodes,
    queryCost: live.cost?.actualQueryCost ?? null,
  };
}
