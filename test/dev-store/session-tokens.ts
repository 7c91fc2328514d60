// Session tokens as App Bridge and checkout UI extensions produce them: HS256 JWTs signed
// with the app's secret, audience the app's API key.
import { randomUUID } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";

export interface SessionTokenOptions {
  apiKey: string;
  apiSecret: string;
  shop: string;
  userId?: number;
  /** Seconds until expiry; App Bridge uses 60. */
  ttlSeconds?: number;
  /** "admin" for App Bridge, "checkout" for checkout UI extensions. */
  surface?: "admin" | "checkout";
}

export async function mintSessionToken(o: SessionTokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> =
    o.surface === "checkout"
      ? { dest: o.shop, sid: randomUUID() }
      : { iss: `https://${o.shop}/admin`, dest: `https://${o.shop}`, sub: String(o.userId ?? 1), sid: randomUUID() };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setAudience(o.apiKey)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (o.ttlSeconds ?? 60))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(o.apiSecret));
}

/** Verifies a subject token presented to the token-exchange grant, as Shopify does. */
export async function verifySessionToken(token: string, apiKey: string, apiSecret: string) {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(apiSecret), { algorithms: ["HS256"], audience: apiKey, clockTolerance: 10 });
  const dest = typeof payload.dest === "string" ? payload.dest : "";
  return { payload, shop: dest.replace(/^https:\/\//, "") };
}
