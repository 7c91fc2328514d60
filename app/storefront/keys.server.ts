// Storefront keys: how a headless storefront proves which shop it speaks for. The merchant
// creates, rotates and revokes them in the admin; the secret is shown once and stored hashed;
// browser calls are allowed only from the origins the merchant lists.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import db from "../db.server";
import { isSecureOrLocal } from "../lib/urls";

export const STOREFRONT_KEY_HEADER = "X-Holdfast-Storefront-Key";
const SECRET = /^hfsk_([a-f0-9]{12})_[A-Za-z0-9_-]{43}$/;

const hash = (secret: string) => createHash("sha256").update(secret).digest("hex");

export const originSchema = z
  .string()
  .trim()
  .url("each origin must be a URL such as https://shop.example.com")
  .refine(
    (o) => isSecureOrLocal(o) && (!URL.canParse(o) || (new URL(o).pathname === "/" && !new URL(o).search && !new URL(o).hash)),
    "each origin must be https (or localhost) with no path, such as https://shop.example.com",
  )
  .transform((o) => (URL.canParse(o) ? new URL(o).origin : o));

export const newKeySchema = z.object({
  name: z.string().trim().min(1, "Give the key a name").max(80, "The name is at most 80 characters"),
  allowedOrigins: z.array(originSchema).max(20, "At most 20 origins"),
});

function newSecret(id: string) {
  return `hfsk_${id}_${randomBytes(32).toString("base64url")}`;
}

export interface StorefrontKeyView {
  id: string;
  name: string;
  allowedOrigins: string[];
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const view = (k: {
  id: string;
  name: string;
  allowedOrigins: string;
  createdAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}): StorefrontKeyView => ({
  id: `sfk_${k.id}`,
  name: k.name,
  allowedOrigins: JSON.parse(k.allowedOrigins),
  createdAt: k.createdAt.toISOString(),
  rotatedAt: k.rotatedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});

/** Creates a key; the secret in the answer is the only time it exists outside the storefront. */
export async function createStorefrontKey(shop: string, input: z.infer<typeof newKeySchema>) {
  const id = randomBytes(6).toString("hex");
  const secret = newSecret(id);
  const row = await db.storefrontKey.create({
    data: { id, shop, name: input.name, secretHash: hash(secret), allowedOrigins: JSON.stringify(input.allowedOrigins) },
  });
  return { key: view(row), secret };
}

const internalId = (publicId: string) => publicId.replace(/^sfk_/, "");

/** A new secret for the key; the old one stops working at once. */
export async function rotateStorefrontKey(shop: string, publicId: string) {
  const id = internalId(publicId);
  const secret = newSecret(id);
  const { count } = await db.storefrontKey.updateMany({ where: { id, shop, revokedAt: null }, data: { secretHash: hash(secret), rotatedAt: new Date() } });
  if (!count) return null;
  return { key: view(await db.storefrontKey.findUniqueOrThrow({ where: { id } })), secret };
}

export async function revokeStorefrontKey(shop: string, publicId: string) {
  const { count } = await db.storefrontKey.updateMany({ where: { id: internalId(publicId), shop, revokedAt: null }, data: { revokedAt: new Date() } });
  return count === 1;
}

export async function listStorefrontKeys(shop: string) {
  return (await db.storefrontKey.findMany({ where: { shop }, orderBy: { createdAt: "asc" } })).map(view);
}

export interface StorefrontClient {
  shop: string;
  clientId: string;
  allowedOrigins: string[];
}

export type StorefrontAuth =
  { ok: true; client: StorefrontClient; corsOrigin: string | null } | { ok: false; status: 401 | 403; code: string; message: string };

/**
 * Who is calling: the key's shop, or a refusal. A browser call (Origin header) must come from an
 * origin the merchant listed for the key.
 */
export async function authenticateStorefrontKey(request: Request): Promise<StorefrontAuth> {
  const secret = request.headers.get(STOREFRONT_KEY_HEADER)?.trim() ?? "";
  if (!SECRET.test(secret))
    return { ok: false, status: 401, code: "missing_storefront_key", message: `Send your storefront key in the ${STOREFRONT_KEY_HEADER} header` };
  const key = await db.storefrontKey.findUnique({ where: { secretHash: hash(secret) } });
  if (!key || key.revokedAt)
    return { ok: false, status: 401, code: "invalid_storefront_key", message: "This storefront key is not valid (revoked, rotated or never issued)" };
  const allowedOrigins: string[] = JSON.parse(key.allowedOrigins);
  const origin = request.headers.get("Origin");
  if (origin && !allowedOrigins.includes(origin))
    return { ok: false, status: 403, code: "origin_not_allowed", message: `${origin} is not an allowed origin for this storefront key` };
  // Last use is informative; at most one write a minute per key.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000)
    await db.storefrontKey.updateMany({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  return { ok: true, client: { shop: key.shop, clientId: key.id, allowedOrigins }, corsOrigin: origin };
}

/** CORS headers for an allowed browser origin (none for server-to-server calls). */
export function corsHeaders(origin: string | null): Record<string, string> {
  if (!origin) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    // The cart-token cookie travels with credentialed requests from the merchant's origins.
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Allow-Headers": `Content-Type, Idempotency-Key, Prefer, ${STOREFRONT_KEY_HEADER}, X-Holdfast-Cart-Token, X-Holdfast-Customer-Token`,
    "Access-Control-Allow-Methods": "GET, POST, PATCH, PUT, DELETE, OPTIONS",
    "Access-Control-Expose-Headers": "Idempotent-Replayed, Retry-After, X-Holdfast-Cart-Token",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  };
}
