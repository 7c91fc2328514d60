// The dev store's state: shops, their catalogs, the app's grants and tokens, and each
// shop's leaky bucket for cost-based rate limiting.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { seedCatalog, type Catalog } from "./catalog";
import { seedDiscounts, type DevDiscount } from "./discounts";

export interface AppRegistration {
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  scopes: string[];
  /** App-level webhook subscriptions, as `shopify app deploy` registers them from shopify.app.toml. */
  webhooks: { topics: string[]; uri: string; apiVersion: string }[];
  /** The app's Shopify Functions, as `shopify app deploy` registers them from extensions/*. */
  functions?: {
    handle: string;
    title: string;
    apiType: string;
    apiVersion: string;
    dir?: string;
    targets?: { target: string; inputQuery: string; export: string }[];
  }[];
  /** shopify.app.toml's [app_proxy]. */
  appProxy?: import("./app-proxy").AppProxyRegistration;
}

export interface AccessToken {
  token: string;
  shop: string;
  scope: string;
  expiresAt: number | null;
  online: boolean;
  userId?: number;
}
export interface RefreshToken {
  token: string;
  shop: string;
  expiresAt: number;
}

export interface WebhookSubscription {
  id: number;
  topic: string;
  uri: string;
  format: "JSON";
  createdAt: string;
  updatedAt: string;
  includeFields: string[];
  filter: string | null;
}

export class LeakyBucket {
  private available: number;
  private at: number;
  constructor(
    public maximum: number,
    public restoreRate: number,
    private now: () => number = Date.now,
  ) {
    this.available = maximum;
    this.at = now();
  }
  currentlyAvailable(): number {
    const t = this.now();
    this.available = Math.min(this.maximum, this.available + ((t - this.at) / 1000) * this.restoreRate);
    this.at = t;
    return this.available;
  }
  /** Takes `cost` points if the bucket holds them; otherwise takes nothing. */
  take(cost: number): boolean {
    if (this.currentlyAvailable() < cost) return false;
    this.available -= cost;
    return true;
  }
  drain() {
    this.currentlyAvailable();
    this.available = 0;
  }
  status() {
    return { maximumAvailable: this.maximum, currentlyAvailable: Math.floor(this.currentlyAvailable()), restoreRate: this.restoreRate };
  }
}

export interface ShopState {
  domain: string;
  id: number;
  name: string;
  email: string;
  currencyCode: string;
  /** Prices include tax (Shopify's "Include tax in prices"), as shops in the EU usually set it. */
  taxesIncluded: boolean;
  ianaTimezone: string;
  /** The shop's own country (Storefront `localization.country`, the primary market's). */
  countryCode: string;
  /** The merchant's brand settings (Storefront `shop.brand`): a logo and the primary colours. */
  brand: { logoUrl: string | null; logoAlt: string | null; primary: { background: string; foreground: string } | null };
  /** The refund policy (Storefront `shop.refundPolicy`), HTML as Shopify stores it; null when none is written. */
  refundPolicy: { title: string; body: string; handle: string } | null;
  createdAt: string;
  catalog: Catalog;
  discounts: DevDiscount[];
  /** Customers with classic accounts (email + password), and their Storefront access tokens. */
  customers: DevCustomer[];
  /** Orders made through orderCreate, and the outcome remembered per @idempotent key. */
  orders: import("./orders").DevOrder[];
  orderIdempotency: Map<
    string,
    { fingerprint: string; order: import("./orders").DevOrder | null; userErrors: { field: string[]; message: string; code: string }[] }
  >;
  customerTokens: Map<string, { customerId: number; expiresAt: number }>;
  installedScopes: string[] | null;
  webhookSubscriptions: WebhookSubscription[];
  storefrontTokens: Map<string, { id: number; title: string; createdAt: string }>;
  /** Cart and checkout validations the app created (validationCreate), with their metafields. */
  validations: import("./validations").DevValidation[];
  /** Online Store carts (by cart token) and the checkouts made from them (by checkout token). */
  carts: Map<string, import("./checkout").DevCart>;
  /** The published theme's config/settings_data.json (app embeds switched on in the theme editor). */
  themeSettingsData: import("./theme").ThemeSettingsData;
  checkouts: Map<string, import("./checkout").DevCheckout>;
  bucket: LeakyBucket;
  nextId: number;
  /** inventoryMoveQuantities' adjustment groups, and the outcome remembered per @idempotent key. */
  adjustmentGroups: import("./admin").AdjustmentGroup[];
  idempotency: Map<
    string,
    { fingerprint: string; result: { group: import("./admin").AdjustmentGroup | null; userErrors: { field: string[]; message: string; code: string }[] } }
  >;
}

export interface DevCustomer {
  id: number;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  phone?: string;
  /** The address book's default (Storefront `customer.defaultAddress`). */
  defaultAddress?: { address1: string; city: string; provinceCode?: string; zip: string; countryCode: string };
}

export interface StoreOptions {
  bucketSize?: number;
  restoreRate?: number;
  seed?: number;
  productCount?: number;
}

export const newToken = (prefix: string) => `${prefix}_${randomBytes(16).toString("hex")}`;

export class DevStoreState {
  readonly shops = new Map<string, ShopState>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  readonly authorizationCodes = new Map<string, { shop: string; scope: string; expiresAt: number }>();
  /** "inventoryChanged" (shop, levels): the server turns it into inventory_levels/update webhooks. */
  readonly events = new EventEmitter();
  constructor(
    readonly app: AppRegistration,
    readonly options: Required<StoreOptions>,
  ) {}

  addShop(domain: string, opts: { name?: string; currencyCode?: string; taxesIncluded?: boolean; seed?: number } = {}): ShopState {
    const existing = this.shops.get(domain);
    if (existing) return existing;
    const catalog = seedCatalog(opts.seed ?? this.options.seed, this.options.productCount);
    const shop: ShopState = {
      domain,
      id: 60000000 + this.shops.size + 1,
      name:
        opts.name ??
        domain
          .replace(".myshopify.com", "")
          .replace(/-/g, " ")
          .replace(/\b\w/g, (c) => c.toUpperCase()),
      email: `owner@${domain}`,
      currencyCode: opts.currencyCode ?? "USD",
      taxesIncluded: opts.taxesIncluded ?? false,
      ianaTimezone: "America/New_York",
      countryCode: "US",
      brand: { logoUrl: null, logoAlt: null, primary: { background: "#1f3a5f", foreground: "#ffffff" } },
      refundPolicy: {
        title: "Refund policy",
        handle: "refund-policy",
        body: "<p>Returns are accepted within <strong>30 days</strong> of delivery, unworn and with tags attached.</p><p>Refunds go back to the original payment method within 5 business days of the return arriving.</p>",
      },
      createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      catalog,
      discounts: seedDiscounts(catalog),
      customers: [
        {
          id: 7001,
          email: "ann@example.com",
          password: "harbor-lights",
          firstName: "Ann",
          lastName: "Lee",
          defaultAddress: { address1: "350 Fifth Avenue", city: "New York", provinceCode: "NY", zip: "10118", countryCode: "US" },
        },
        { id: 7002, email: "ben@example.com", password: "salt-and-rope", firstName: "Ben", lastName: "Ode" },
      ],
      customerTokens: new Map(),
      orders: [],
      orderIdempotency: new Map(),
      installedScopes: null,
      webhookSubscriptions: [],
      storefrontTokens: new Map(),
      validations: [],
      carts: new Map(),
      themeSettingsData: { current: { blocks: {} } },
      checkouts: new Map(),
      bucket: new LeakyBucket(this.options.bucketSize, this.options.restoreRate),
      nextId: 900000,
      adjustmentGroups: [],
      idempotency: new Map(),
    };
    this.shops.set(domain, shop);
    return shop;
  }

  shop(domain: string): ShopState | undefined {
    return this.shops.get(domain);
  }

  issueAccessToken(shop: string, scope: string, opts: { expiring: boolean; online?: boolean; userId?: number }) {
    const token: AccessToken = {
      token: newToken("shpat"),
      shop,
      scope,
      online: Boolean(opts.online),
      userId: opts.userId,
      expiresAt: opts.expiring || opts.online ? Date.now() + 3600_000 : null,
    };
    this.accessTokens.set(token.token, token);
    let refresh: RefreshToken | undefined;
    if (opts.expiring && !opts.online) {
      refresh = { token: newToken("shprt"), shop, expiresAt: Date.now() + 30 * 86400_000 };
      this.refreshTokens.set(refresh.token, refresh);
    }
    return { token, refresh };
  }

  /** The access token presented for a shop, if valid and unexpired. */
  authorize(shop: string, presented: string | null): AccessToken | undefined {
    if (!presented) return undefined;
    const token = this.accessTokens.get(presented);
    if (!token || token.shop !== shop) return undefined;
    if (token.expiresAt !== null && token.expiresAt < Date.now()) return undefined;
    return token;
  }

  revokeShopTokens(shop: string) {
    for (const [k, t] of this.accessTokens) if (t.shop === shop) this.accessTokens.delete(k);
    for (const [k, t] of this.refreshTokens) if (t.shop === shop) this.refreshTokens.delete(k);
  }
}
