import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { appConfig } from "./config.server";
import db from "./db.server";
import { SHOPIFY_API_VERSION } from "./shopify/api-version";
import { installShopifyFetch } from "./shopify/dev-store-routing.server";
import { recordInstall } from "./shop/shops.server";
import { ensureValidation } from "./shopify-checkout/validation.server";

const config = appConfig();
installShopifyFetch({ timeoutMs: config.SHOPIFY_REQUEST_TIMEOUT_MS, devStoreUrl: config.SHOPIFY_DEV_STORE_URL });

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: config.SCOPES,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(db),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await recordInstall(session.shop, session.scope);
      // Switch the stock check (the validation Function) on. A failure here must not fail the
      // install: Settings shows the check's state and switches it on when the merchant saves.
      await ensureValidation(session.shop, admin).catch((error) =>
        console.error(`${session.shop}: the validation was not switched on at install: ${(error as Error).message}`),
      );
    },
  },
  logger: { level: config.NODE_ENV === "test" ? LogSeverity.Error : LogSeverity.Info },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = SHOPIFY_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
