// Admin API 2026-10 resolvers for what Holdfast uses. Views are plain objects whose
// properties (or functions of the field's arguments) graphql-js' default resolver reads.
import { createHash } from "node:crypto";
import { GraphQLError, valueFromASTUntyped, type GraphQLResolveInfo } from "graphql";
import { INVENTORY_STATES, onHand, type InventoryItem, type InventoryLevel, type Location, type Product, type Variant } from "./catalog";
import { gid, paginate, parseGid, type PageArgs } from "./graphql-support";
import { discountCodeNode } from "./discounts";
import { cancelOrder, createOrder, orderView } from "./orders";
import { newToken, type DevStoreState, type ShopState } from "./store";
import { validationResolvers } from "./validations";

type Args = Record<string, unknown>;
const QUANTITY_NAMES = new Set<string>([...INVENTORY_STATES, "on_hand"]);

export function levelQuantity(level: InventoryLevel, name: string): number {
  if (name === "on_hand") return onHand(level);
  return level.quantities[name as keyof InventoryLevel["quantities"]];
}

/** A tiny subset of Shopify's search syntax: `field:value` terms joined by AND/spaces. */
function matchesQuery(query: unknown, fields: Record<string, string | number | string[]>): boolean {
  if (typeof query !== "string" || !query.trim()) return true;
  return query.split(/\s+(?:AND\s+)?/).every((term) => {
    const [key, ...rest] = term.split(":");
    if (!rest.length) return Object.values(fields).some((v) => String(v).toLowerCase().includes(key.toLowerCase()));
    const value = rest
      .join(":")
      .replace(/^['"]|['"]$/g, "")
      .toLowerCase();
    const field = fields[key];
    if (field === undefined) return true;
    return Array.isArray(field) ? field.some((f) => f.toLowerCase() === value) : String(field).toLowerCase() === value;
  });
}

export function adminViews(shop: ShopState) {
  const { catalog } = shop;
  const productById = (id: number) => catalog.products.find((p) => p.id === id);
  const variantById = (id: number) => catalog.variants.find((v) => v.id === id);
  const itemById = (id: number) => catalog.inventoryItems.find((i) => i.id === id);
  const locationById = (id: number) => catalog.locations.find((l) => l.id === id);
  const levelsOfItem = (itemId: number) => catalog.levels.filter((l) => l.inventoryItemId === itemId);
  const available = (itemId: number) => levelsOfItem(itemId).reduce((s, l) => s + l.quantities.available, 0);

  const location = (l: Location) => ({
    __typename: "Location",
    id: gid("Location", l.id),
    name: l.name,
    isActive: l.isActive,
    fulfillsOnlineOrders: l.fulfillsOnlineOrders,
    inventoryLevels: (args: PageArgs) => paginate(catalog.levels.filter((x) => x.locationId === l.id).map(level), args),
    inventoryLevel: ({ inventoryItemId }: Args) => {
      const found = catalog.levels.find((x) => x.locationId === l.id && x.inventoryItemId === parseGid(inventoryItemId, "InventoryItem"));
      return found ? level(found) : null;
    },
  });

  const level = (l: InventoryLevel) => ({
    __typename: "InventoryLevel",
    id: `gid://shopify/InventoryLevel/${l.locationId}?inventory_item_id=${l.inventoryItemId}`,
    isActive: true,
    canDeactivate: false,
    deactivationAlert: null,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
    item: () => item(itemById(l.inventoryItemId)!),
    location: () => location(locationById(l.locationId)!),
    quantities: ({ names }: Args) =>
      (names as string[]).map((name) => {
        if (!QUANTITY_NAMES.has(name)) throw new GraphQLError(`The quantity name '${name}' is not valid.`, { extensions: { code: "INVALID_QUANTITY_NAME" } });
        return {
          __typename: "InventoryQuantity",
          id: `gid://shopify/InventoryQuantity/${l.locationId}?inventory_item_id=${l.inventoryItemId}&name=${name}`,
          name,
          quantity: levelQuantity(l, name),
          updatedAt: l.updatedAt,
        };
      }),
  });

  const item = (i: InventoryItem) => ({
    __typename: "InventoryItem",
    id: gid("InventoryItem", i.id),
    sku: i.sku,
    tracked: i.tracked,
    requiresShipping: i.requiresShipping,
    variant: () => variant(variantById(i.variantId)!),
    inventoryLevels: (args: PageArgs) => paginate(levelsOfItem(i.id).map(level), args),
    inventoryLevel: ({ locationId }: Args) => {
      const found = levelsOfItem(i.id).find((l) => l.locationId === parseGid(locationId, "Location"));
      return found ? level(found) : null;
    },
  });

  const variant = (v: Variant) => {
    const p = productById(v.productId)!;
    return {
      __typename: "ProductVariant",
      id: gid("ProductVariant", v.id),
      title: v.title,
      sku: v.sku,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      barcode: null,
      inventoryPolicy: v.inventoryPolicy,
      displayName: `${p.title} - ${v.title}`,
      inventoryQuantity: available(v.inventoryItemId),
      availableForSale: p.status === "ACTIVE" && (v.inventoryPolicy === "CONTINUE" || available(v.inventoryItemId) > 0),
      product: () => product(p),
      inventoryItem: () => item(itemById(v.inventoryItemId)!),
    };
  };

  const product = (p: Product) => ({
    __typename: "Product",
    id: gid("Product", p.id),
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags,
    status: p.status,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    tracksInventory: true,
    totalInventory: p.variantIds.reduce((s, id) => s + available(variantById(id)!.inventoryItemId), 0),
    variants: (args: PageArgs) =>
      paginate(
        p.variantIds.map((id) => variant(variantById(id)!)),
        args,
      ),
  });

  const node = (id: unknown) => {
    const lv = typeof id === "string" ? /^gid:\/\/shopify\/InventoryLevel\/(\d+)\?inventory_item_id=(\d+)$/.exec(id) : null;
    if (lv) {
      const found = catalog.levels.find((x) => x.locationId === Number(lv[1]) && x.inventoryItemId === Number(lv[2]));
      return found ? level(found) : null;
    }
    const m = typeof id === "string" ? /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(id) : null;
    if (!m) return null;
    const n = Number(m[2]);
    switch (m[1]) {
      case "Product": {
        const p = productById(n);
        return p ? product(p) : null;
      }
      case "ProductVariant": {
        const v = variantById(n);
        return v ? variant(v) : null;
      }
      case "InventoryItem": {
        const i = itemById(n);
        return i ? item(i) : null;
      }
      case "Location": {
        const l = locationById(n);
        return l ? location(l) : null;
      }
      default:
        return null;
    }
  };

  return { product, variant, item, level, location, node, productById, variantById, itemById, locationById };
}

/** The key of an `@idempotent(key: …)` directive on the field being resolved, if any. */
function idempotencyKey(info: GraphQLResolveInfo): string | undefined {
  const directive = info.fieldNodes[0]?.directives?.find((d) => d.name.value === "idempotent");
  const arg = directive?.arguments?.find((a) => a.name.value === "key");
  return arg ? String(valueFromASTUntyped(arg.value, info.variableValues)) : undefined;
}

const MOVABLE_STATES = new Set(["available", "reserved", "damaged", "safety_stock", "quality_control"]);
type MoveUserError = { field: string[]; message: string; code: string };

export interface InventoryChangeRecord {
  name: string;
  delta: number;
  quantityAfterChange: number;
  inventoryItemId: number;
  locationId: number;
  ledgerDocumentUri: string | null;
}
export interface AdjustmentGroup {
  id: number;
  reason: string;
  referenceDocumentUri: string;
  createdAt: string;
  changes: InventoryChangeRecord[];
}

/**
 * inventoryMoveQuantities as Shopify does it: every change validated, applied all together or
 * not at all, stale changeFromQuantity refused, and an @idempotent key replaying its first
 * result (a different request under the same key is refused).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function moveQuantities(state: DevStoreState, shop: ShopState, input: Record<string, any>, key: string | undefined) {
  const fingerprint = createHash("sha256").update(JSON.stringify(input)).digest("hex");
  if (key) {
    const previous = shop.idempotency.get(key);
    if (previous && previous.fingerprint !== fingerprint)
      return {
        group: null,
        userErrors: [
          { field: ["input"], message: "The idempotency key was already used with different parameters.", code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" },
        ],
      };
    if (previous) return previous.result;
  }
  const userErrors: MoveUserError[] = [];
  const { catalog } = shop;
  if (!String(input.reason ?? "").trim()) userErrors.push({ field: ["input", "reason"], message: "The reason is invalid.", code: "INVALID_REASON" });
  if (!/^[a-z][a-z0-9+.-]*:\/\/.+/i.test(String(input.referenceDocumentUri ?? "")))
    userErrors.push({ field: ["input", "referenceDocumentUri"], message: "The reference document URI is invalid.", code: "INVALID_REFERENCE_DOCUMENT" });
  const planned: { level: InventoryLevel; from: string; to: string; quantity: number; toDocument: string | null; fromDocument: string | null }[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (input.changes as Record<string, any>[]).forEach((c, i) => {
    const field = ["input", "changes", String(i)];
    const itemId = /InventoryItem\/(\d+)/.exec(c.inventoryItemId)?.[1];
    const fromLoc = /Location\/(\d+)/.exec(c.from.locationId)?.[1];
    const toLoc = /Location\/(\d+)/.exec(c.to.locationId)?.[1];
    if (!catalog.inventoryItems.some((x) => String(x.id) === itemId))
      return userErrors.push({ field, message: "The inventory item could not be found.", code: "INVALID_INVENTORY_ITEM" });
    if (fromLoc !== toLoc)
      return userErrors.push({ field, message: "The quantities can't be moved between different locations.", code: "DIFFERENT_LOCATIONS" });
    const level = catalog.levels.find((l) => String(l.inventoryItemId) === itemId && String(l.locationId) === fromLoc);
    if (!level) return userErrors.push({ field, message: "The location could not be found.", code: "INVALID_LOCATION" });
    if (!MOVABLE_STATES.has(c.from.name) || !MOVABLE_STATES.has(c.to.name))
      return userErrors.push({ field, message: "The quantity name is invalid.", code: "INVALID_QUANTITY_NAME" });
    if (c.from.name === c.to.name)
      return userErrors.push({ field, message: "The quantity names for each change can't be the same.", code: "SAME_QUANTITY_NAME" });
    if (!(c.quantity > 0)) return userErrors.push({ field, message: "The quantity can't be negative.", code: "INVALID_QUANTITY_NEGATIVE" });
    for (const end of [c.from, c.to]) {
      if (end.name === "available" && end.ledgerDocumentUri)
        return userErrors.push({ field, message: "The available state can't have a ledger document.", code: "INVALID_AVAILABLE_DOCUMENT" });
      if (end.name !== "available" && !end.ledgerDocumentUri)
        return userErrors.push({ field, message: `A ledger document URI is required for the ${end.name} state.`, code: "INVALID_QUANTITY_DOCUMENT" });
      if (end.changeFromQuantity != null && end.changeFromQuantity !== levelQuantity(level, end.name))
        return userErrors.push({
          field,
          message: `The ${end.name} quantity has changed since it was read (expected ${end.changeFromQuantity}, is ${levelQuantity(level, end.name)}).`,
          code: "CHANGE_FROM_QUANTITY_STALE",
        });
    }
    planned.push({
      level,
      from: c.from.name,
      to: c.to.name,
      quantity: c.quantity,
      fromDocument: c.from.ledgerDocumentUri ?? null,
      toDocument: c.to.ledgerDocumentUri ?? null,
    });
  });
  let result: { group: AdjustmentGroup | null; userErrors: MoveUserError[] };
  if (userErrors.length) {
    result = { group: null, userErrors };
  } else {
    const createdAt = new Date().toISOString();
    const changes: InventoryChangeRecord[] = [];
    for (const p of planned) {
      const q = p.level.quantities as Record<string, number>;
      q[p.from] -= p.quantity;
      q[p.to] += p.quantity;
      p.level.updatedAt = createdAt;
      changes.push(
        {
          name: p.from,
          delta: -p.quantity,
          quantityAfterChange: q[p.from],
          inventoryItemId: p.level.inventoryItemId,
          locationId: p.level.locationId,
          ledgerDocumentUri: p.fromDocument,
        },
        {
          name: p.to,
          delta: p.quantity,
          quantityAfterChange: q[p.to],
          inventoryItemId: p.level.inventoryItemId,
          locationId: p.level.locationId,
          ledgerDocumentUri: p.toDocument,
        },
      );
    }
    const group: AdjustmentGroup = { id: shop.nextId++, reason: input.reason, referenceDocumentUri: input.referenceDocumentUri, createdAt, changes };
    shop.adjustmentGroups.push(group);
    state.events.emit("inventoryChanged", shop.domain, [...new Set(planned.map((p) => p.level))]);
    result = { group, userErrors: [] };
  }
  // Shopify remembers a key's outcome, failed or not: a failed attempt cannot be retried under it.
  if (key)
    shop.idempotency.set(key, {
      fingerprint,
      result: result.userErrors.length
        ? {
            group: null,
            userErrors: [
              { field: ["input"], message: "A previous attempt with this idempotency key failed.", code: "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED" },
              ...result.userErrors,
            ],
          }
        : result,
    });
  return result;
}

/** Shopify's answer to a field the token's scopes do not cover. */
function requireScope(granted: string[], field: string, scope: string) {
  const write = scope.replace(/^read_/, "write_");
  if (!granted.includes(scope) && !granted.includes(write))
    throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
      extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess: `\`${scope}\` access scope.` },
    });
}

export function adminRoot(state: DevStoreState, shop: ShopState, granted: string[]) {
  const v = adminViews(shop);
  const { catalog } = shop;
  const subscriptionView = (s: ShopState["webhookSubscriptions"][number]) => ({
    __typename: "WebhookSubscription",
    ...s,
    id: gid("WebhookSubscription", s.id),
    apiVersion: { handle: "2026-10", displayName: "2026-10", supported: true },
  });
  return {
    shop: () => ({
      __typename: "Shop",
      id: gid("Shop", shop.id),
      name: shop.name,
      email: shop.email,
      myshopifyDomain: shop.domain,
      currencyCode: shop.currencyCode,
      ianaTimezone: shop.ianaTimezone,
      taxesIncluded: shop.taxesIncluded,
      taxShipping: false,
      plan: { displayName: "Development", partnerDevelopment: true, publicDisplayName: "Development", shopifyPlus: false },
      primaryDomain: { id: gid("Domain", shop.id), host: shop.domain, url: `https://${shop.domain}`, sslEnabled: true },
    }),
    currentAppInstallation: () => ({
      __typename: "AppInstallation",
      id: gid("AppInstallation", shop.id),
      accessScopes: (shop.installedScopes ?? []).map((handle) => ({ handle, description: handle })),
      launchUrl: `https://admin.shopify.com/store/${shop.domain.replace(".myshopify.com", "")}/apps/${state.app.apiKey}`,
    }),
    products: (args: PageArgs & { query?: string }) =>
      paginate(
        catalog.products
          .filter((p) =>
            matchesQuery(args.query, { title: p.title, handle: p.handle, tag: p.tags, id: p.id, product_type: p.productType, status: p.status.toLowerCase() }),
          )
          .map(v.product),
        args,
      ),
    productsCount: () => ({ count: catalog.products.length, precision: "EXACT" }),
    // The published theme and its files; config/settings_data.json says which app embeds are on
    // (Shopify writes a comment above the JSON).
    themes: (args: PageArgs & { roles?: string[] }) => {
      requireScope(granted, "themes", "read_themes");
      const theme = {
        __typename: "OnlineStoreTheme",
        id: gid("OnlineStoreTheme", shop.id),
        name: "Dawn",
        role: "MAIN",
        files: (files: PageArgs & { filenames?: string[] }) =>
          paginate(
            files.filenames?.includes("config/settings_data.json")
              ? [
                  {
                    __typename: "OnlineStoreThemeFile",
                    filename: "config/settings_data.json",
                    body: {
                      __typename: "OnlineStoreThemeFileBodyText",
                      content: `/*\n * IMPORTANT: The contents of this file are auto-generated.\n */\n${JSON.stringify(shop.themeSettingsData, null, 2)}`,
                    },
                  },
                ]
              : [],
            files,
          ),
      };
      return paginate(!args.roles || args.roles.includes("MAIN") ? [theme] : [], args);
    },
    locationsCount: () => ({ count: catalog.locations.filter((l) => l.isActive).length, precision: "EXACT" }),
    product: ({ id }: Args) => {
      const p = v.productById(parseGid(id, "Product"));
      return p ? v.product(p) : null;
    },
    productVariants: (args: PageArgs & { query?: string }) =>
      paginate(
        catalog.variants.filter((x) => matchesQuery(args.query, { sku: x.sku, id: x.id, product_id: x.productId, title: x.title })).map(v.variant),
        args,
      ),
    productVariant: ({ id }: Args) => {
      const x = v.variantById(parseGid(id, "ProductVariant"));
      return x ? v.variant(x) : null;
    },
    inventoryItems: (args: PageArgs & { query?: string }) =>
      paginate(catalog.inventoryItems.filter((i) => matchesQuery(args.query, { sku: i.sku, id: i.id })).map(v.item), args),
    inventoryItem: ({ id }: Args) => {
      const i = v.itemById(parseGid(id, "InventoryItem"));
      return i ? v.item(i) : null;
    },
    inventoryLevel: ({ id }: Args) => {
      const m = typeof id === "string" ? /^gid:\/\/shopify\/InventoryLevel\/(\d+)\?inventory_item_id=(\d+)$/.exec(id) : null;
      const l = m && catalog.levels.find((x) => x.locationId === Number(m[1]) && x.inventoryItemId === Number(m[2]));
      return l ? v.level(l) : null;
    },
    locations: (args: PageArgs & { includeInactive?: boolean }) =>
      paginate(catalog.locations.filter((l) => l.isActive || args.includeInactive).map(v.location), args),
    location: ({ id }: Args) => {
      const l = id == null ? catalog.locations[0] : v.locationById(parseGid(id, "Location"));
      return l ? v.location(l) : null;
    },
    codeDiscountNodeByCode: ({ code }: Args) => {
      requireScope(granted, "codeDiscountNodeByCode", "read_discounts");
      const found = shop.discounts.find((d) => d.code.toLowerCase() === String(code).trim().toLowerCase());
      return found ? discountCodeNode(found, shop.currencyCode) : null;
    },
    codeDiscountNode: ({ id }: Args) => {
      requireScope(granted, "codeDiscountNode", "read_discounts");
      const found = shop.discounts.find((d) => d.id === parseGid(id, "DiscountCodeNode"));
      return found ? discountCodeNode(found, shop.currencyCode) : null;
    },
    order: ({ id }: Args) => {
      requireScope(granted, "order", "read_orders");
      const found = shop.orders.find((o) => o.id === parseGid(id, "Order"));
      return found ? orderView(found) : null;
    },
    orders: (args: PageArgs & { query?: string }) => {
      requireScope(granted, "orders", "read_orders");
      // Shopify's search syntax, for the filters the app uses (`source_identifier:`, `source_name:`,
      // `checkout_token:`, `cart_token:`): terms joined by AND (or a space), groups by OR.
      const field = { source_identifier: "sourceIdentifier", source_name: "sourceName", checkout_token: "checkoutToken", cart_token: "cartToken" } as const;
      const groups = String(args.query ?? "")
        .split(/\s+OR\s+/)
        .map((group) =>
          [...group.matchAll(/(source_identifier|source_name|checkout_token|cart_token):("([^"]*)"|\S+)/g)].map((m) => ({
            field: field[m[1] as keyof typeof field],
            value: m[3] ?? m[2],
          })),
        );
      const found = shop.orders.filter((o) => groups.some((terms) => terms.every((t) => o[t.field] === t.value)));
      return paginate(found.map(orderView), args);
    },
    orderCreate: ({ order, options }: Args, _context: unknown, info: GraphQLResolveInfo) => {
      requireScope(granted, "orderCreate", "write_orders");
      const { order: created, userErrors } = createOrder(state, shop, order as never, options as never, idempotencyKey(info));
      return { order: created && orderView(created), userErrors };
    },
    orderCancel: ({ orderId, reason, restock }: Args) => {
      requireScope(granted, "orderCancel", "write_orders");
      return cancelOrder(state, shop, orderId, String(reason), Boolean(restock));
    },
    ...validationResolvers(state, shop, granted),
    node: ({ id }: Args) => v.node(id),
    nodes: ({ ids }: Args) => (ids as unknown[]).map(v.node),
    webhookSubscriptions: (args: PageArgs & { topics?: string[] }) =>
      paginate(shop.webhookSubscriptions.filter((s) => !args.topics || args.topics.includes(s.topic)).map(subscriptionView), args),

    inventoryMoveQuantities: ({ input }: Args, _context: unknown, info: GraphQLResolveInfo) => {
      const { group, userErrors } = moveQuantities(state, shop, input as Record<string, unknown>, idempotencyKey(info));
      return {
        userErrors,
        inventoryAdjustmentGroup: group && {
          __typename: "InventoryAdjustmentGroup",
          id: gid("InventoryAdjustmentGroup", group.id),
          reason: group.reason,
          referenceDocumentUri: group.referenceDocumentUri,
          createdAt: group.createdAt,
          app: null,
          staffMember: null,
          changes: () =>
            group.changes.map((c) => ({
              __typename: "InventoryChange",
              name: c.name,
              delta: c.delta,
              quantityAfterChange: c.quantityAfterChange,
              ledgerDocumentUri: c.ledgerDocumentUri,
              item: () => v.item(v.itemById(c.inventoryItemId)!),
              location: () => v.location(v.locationById(c.locationId)!),
            })),
        },
      };
    },
    webhookSubscriptionCreate: ({ topic, webhookSubscription }: Args) => {
      const input = webhookSubscription as { uri?: string; callbackUrl?: string; includeFields?: string[]; filter?: string };
      const uri = input.uri ?? input.callbackUrl;
      if (!uri) return { webhookSubscription: null, userErrors: [{ field: ["webhookSubscription", "uri"], message: "Address can't be blank" }] };
      if (shop.webhookSubscriptions.some((s) => s.topic === topic && s.uri === uri))
        return {
          webhookSubscription: null,
          userErrors: [{ field: ["webhookSubscription", "callbackUrl"], message: "Address for this topic has already been taken" }],
        };
      const now = new Date().toISOString();
      const sub = {
        id: shop.nextId++,
        topic: topic as string,
        uri,
        format: "JSON" as const,
        createdAt: now,
        updatedAt: now,
        includeFields: input.includeFields ?? [],
        filter: input.filter ?? null,
      };
      shop.webhookSubscriptions.push(sub);
      return { webhookSubscription: subscriptionView(sub), userErrors: [] };
    },
    webhookSubscriptionDelete: ({ id }: Args) => {
      const n = parseGid(id, "WebhookSubscription");
      const index = shop.webhookSubscriptions.findIndex((s) => s.id === n);
      if (index < 0) return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }] };
      shop.webhookSubscriptions.splice(index, 1);
      return { deletedWebhookSubscriptionId: id, userErrors: [] };
    },
    storefrontAccessTokenCreate: ({ input }: Args) => {
      const title = (input as { title: string }).title;
      if (!title?.trim())
        return { shop: () => null, storefrontAccessToken: null, userErrors: [{ field: ["input", "title"], message: "Title can't be blank" }] };
      const accessToken = newToken("sfat").slice(5);
      const createdAt = new Date().toISOString();
      const id = shop.nextId++;
      shop.storefrontTokens.set(accessToken, { id, title, createdAt });
      return {
        shop: { id: gid("Shop", shop.id), name: shop.name },
        storefrontAccessToken: {
          id: gid("StorefrontAccessToken", id),
          title,
          accessToken,
          createdAt,
          updatedAt: createdAt,
          accessScopes: [{ handle: "unauthenticated_read_product_listings", description: "" }],
        },
        userErrors: [],
      };
    },
  };
}
