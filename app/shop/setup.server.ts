// The setup guide on Home (issue 14): what a merchant does so that Holdfast protects every
// checkout, each step checked against the real state where the app can know it — the theme's app
// embed in its settings_data.json, the validation in Shopify, the Stripe account, a storefront
// key — and marked done by the merchant where it cannot (the checkout editor). Progress and
// dismissal are saved on the shop, each mark one atomic statement.
import db, { currentDatabaseProvider } from "../db.server";
import { adminGraphql, requestRetryPolicy, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { findValidation } from "../shopify-checkout/validation.server";
import { paymentsStatus } from "../payments/connect.server";
import { appConfig, stripeConfig } from "../config.server";

export const SETUP_STEPS = ["theme_embed", "stock_check", "hold_policy", "checkout_block", "stripe", "storefront_key"] as const;
export type SetupStepId = (typeof SETUP_STEPS)[number];

export interface SetupStep {
  id: SetupStepId;
  done: boolean;
  /** How done was decided: checked against Shopify, Stripe or the app's data, or marked by the merchant. */
  how: "checked" | "marked" | "unknown";
  /** Only for a headless storefront (the Cart API), or only on Shopify Plus. */
  only?: "headless" | "plus";
}

export const THEME_SETTINGS_QUERY = `#graphql
  query SetupThemeEmbed {
    themes(first: 1, roles: [MAIN]) {
      nodes {
        id
        files(first: 1, filenames: ["config/settings_data.json"]) {
          nodes {
            body {
              ... on OnlineStoreThemeFileBodyText { content }
            }
          }
        }
      }
    }
  }
`;

/** Whether Holdfast's cart reservation embed is on in a theme's settings_data.json (Shopify writes a comment above the JSON). */
export function reservationEmbedOn(settingsData: string): boolean {
  try {
    const parsed = JSON.parse(settingsData.replace(/^\s*\/\*[\s\S]*?\*\//, "")) as {
      current?: { blocks?: Record<string, { type?: string; disabled?: boolean }> };
    };
    return Object.values(parsed.current?.blocks ?? {}).some((b) => /\/blocks\/reservation\//.test(b.type ?? "") && b.disabled !== true);
  } catch {
    return false;
  }
}

/** null when Shopify could not be asked (the step then says so rather than guessing). */
async function themeEmbedOn(admin: AdminGraphqlClient): Promise<boolean | null> {
  try {
    const { data } = await adminGraphql<{ themes: { nodes: { files: { nodes: { body: { content?: string } }[] } }[] } }>(
      admin,
      THEME_SETTINGS_QUERY,
      {},
      requestRetryPolicy,
    );
    const content = data.themes.nodes[0]?.files.nodes[0]?.body.content;
    return content ? reservationEmbedOn(content) : false;
  } catch {
    return null;
  }
}

async function checked<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** `shopifyPlus`: whether the shop is on Shopify Plus (Home already asks Shopify; null when unknown). */
export async function setupGuide(shop: string, admin: AdminGraphqlClient, shopifyPlus: Promise<boolean | null>) {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { setupProgress: true, setupDismissedAt: true } });
  const marked = JSON.parse(row?.setupProgress ?? "{}") as Partial<Record<SetupStepId, string>>;
  const [embed, validation, plan, payments, keys] = await Promise.all([
    themeEmbedOn(admin),
    checked(() => findValidation(admin)),
    shopifyPlus.catch(() => null),
    stripeConfig().STRIPE_SECRET_KEY ? checked(() => paymentsStatus(shop)) : Promise.resolve(null),
    db.storefrontKey.count({ where: { shop, revokedAt: null } }),
  ]);
  const step = (id: SetupStepId, state: boolean | null, only?: SetupStep["only"]): SetupStep => {
    if (marked[id]) return { id, done: true, how: "marked", only };
    return { id, done: Boolean(state), how: state === null ? "unknown" : "checked", only };
  };
  const steps: SetupStep[] = [
    step("theme_embed", embed),
    step("stock_check", validation === null ? null : validation.enabled),
    { id: "hold_policy", done: Boolean(marked.hold_policy), how: "marked" },
    ...(plan ? [{ id: "checkout_block" as const, done: Boolean(marked.checkout_block), how: "marked" as const, only: "plus" as const }] : []),
    step("stripe", payments === null ? null : payments.state === "ready", "headless"),
    step("storefront_key", keys > 0, "headless"),
  ];
  return {
    dismissed: Boolean(row?.setupDismissedAt),
    done: steps.filter((s) => s.done).length,
    steps,
    // Shopify's deep links: the theme editor with the embed ready to switch on, and the checkout editor.
    links: {
      themeEditor: `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${appConfig().SHOPIFY_API_KEY}/reservation`,
      checkoutEditor: `https://${shop}/admin/settings/checkout/editor`,
    },
  };
}

/** The merchant marks a step done (or a headless step not needed): one statement, whatever else is marked meanwhile. */
export async function markSetupStep(shop: string, step: SetupStepId, at = new Date()): Promise<void> {
  const path = `$.${step}`;
  if (currentDatabaseProvider() === "postgres")
    await db.$executeRaw`UPDATE "Shop" SET "setupProgress" = jsonb_set("setupProgress"::jsonb, ${`{${step}}`}::text[], to_jsonb(${at.toISOString()}::text))::text WHERE "domain" = ${shop}`;
  else await db.$executeRaw`UPDATE "Shop" SET "setupProgress" = json_set("setupProgress", ${path}, ${at.toISOString()}) WHERE "domain" = ${shop}`;
}

export async function dismissSetupGuide(shop: string, dismissed: boolean): Promise<void> {
  await db.shop.updateMany({ where: { domain: shop }, data: { setupDismissedAt: dismissed ? new Date() : null } });
}
