import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { startTestApp, type TestApp } from "../test/harness";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe("data layer", () => {
  it(`runs on the database the tests were given`, async () => {
    const { currentDatabaseProvider } = await import("./db.server");
    expect(currentDatabaseProvider()).toBe(t.database.provider);
  });

  it("round-trips Shopify sessions through Prisma session storage", async () => {
    const storage = t.shopify.sessionStorage!;
    const expires = new Date(Date.now() + 3600_000);
    const offline = new Session({
      id: "offline_roundtrip.myshopify.com",
      shop: "roundtrip.myshopify.com",
      state: "",
      isOnline: false,
      scope: "read_products,write_inventory",
      accessToken: "shpat_abc",
      expires,
      refreshToken: "shprt_def",
      refreshTokenExpires: new Date(Date.now() + 86400_000),
    });
    const online = new Session({
      id: "roundtrip.myshopify.com_42",
      shop: "roundtrip.myshopify.com",
      state: "st",
      isOnline: true,
      scope: "read_products",
      accessToken: "shpua_x",
      expires,
      onlineAccessInfo: {
        expires_in: 3600,
        associated_user_scope: "read_products",
        associated_user: {
          id: 42,
          first_name: "Ann",
          last_name: "Lee",
          email: "ann@example.com",
          email_verified: true,
          account_owner: true,
          locale: "en",
          collaborator: false,
        },
      },
    });
    expect(await storage.storeSession(offline)).toBe(true);
    expect(await storage.storeSession(online)).toBe(true);

    const loaded = await storage.loadSession(offline.id);
    expect(loaded?.toObject()).toEqual(offline.toObject());
    expect(loaded?.refreshToken).toBe("shprt_def");
    const loadedOnline = await storage.loadSession(online.id);
    expect(loadedOnline?.onlineAccessInfo?.associated_user.id).toBe(42);
    expect(loadedOnline?.onlineAccessInfo?.associated_user.email).toBe("ann@example.com");

    expect((await storage.findSessionsByShop("roundtrip.myshopify.com")).map((s) => s.id).sort()).toEqual([online.id, offline.id].sort());
    expect(await storage.deleteSessions([online.id])).toBe(true);
    expect(await storage.loadSession(online.id)).toBeUndefined();
    expect(await storage.deleteSession(offline.id)).toBe(true);
    expect(await storage.findSessionsByShop("roundtrip.myshopify.com")).toEqual([]);
  });

  it("shop/redact covers every model that holds a shop's data", async () => {
    const { Prisma } = await import("@prisma/client");
    const { SHOP_SCOPED_MODELS } = await import("./compliance/compliance.server");
    const shopScoped = Prisma.dmmf.datamodel.models
      .filter((m) => m.fields.some((f) => f.name === "shop") || m.name === "Shop")
      .map((m) => m.name.charAt(0).toLowerCase() + m.name.slice(1))
      .sort();
    expect([...SHOP_SCOPED_MODELS].sort()).toEqual(shopScoped);
  });

  it("runs many interactive transactions without leaking connections, and rolls back a failed one", async () => {
    const { readdirSync } = await import("node:fs");
    const fds = () => readdirSync("/proc/self/fd").length;
    const before = fds();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 50; i++) await t.db.$transaction(async (tx) => tx.shop.count());
      }),
    );
    expect(fds() - before).toBeLessThan(30);
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.shop.create({ data: { domain: "rolled-back.myshopify.com" } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await t.db.shop.count({ where: { domain: "rolled-back.myshopify.com" } })).toBe(0);
  });

  it("a write waits while another process holds the write lock, instead of failing at once", async () => {
    // libsql's default busy timeout is 0: a test or a worker writing while the server was inside a
    // transaction got "Operation has timed out" at once (seen in CI). Another process holds the lock here.
    const { spawn } = await import("node:child_process");
    const holdLock =
      t.database.provider === "sqlite"
        ? `import Database from "libsql";
           const db = new Database(process.argv[1].replace(/^file:/, ""));
           db.exec("BEGIN IMMEDIATE");
           db.prepare("UPDATE Shop SET domain = domain WHERE 0").run();
           console.log("holding");
           setTimeout(() => { db.exec("COMMIT"); console.log("released"); }, 400);`
        : `import pg from "pg";
           const client = new pg.Client({ connectionString: process.argv[1] });
           await client.connect();
           await client.query('BEGIN; LOCK TABLE "Shop" IN EXCLUSIVE MODE');
           console.log("holding");
           setTimeout(async () => { await client.query("COMMIT"); console.log("released"); await client.end(); }, 400);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", holdLock, t.database.url], { cwd: process.cwd() });
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stderr.on("data", (chunk) => lines.push(String(chunk)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        lines.push(...String(chunk).trim().split("\n"));
        if (lines.includes("holding")) resolve();
      });
      child.on("exit", () => reject(new Error(`the lock holder exited: ${lines.join(" ")}`)));
    });
    await t.db.shop.create({ data: { domain: "waited.myshopify.com" } });
    expect(await exited).toBe(0);
    expect(lines).toContain("released");
    expect(await t.db.shop.count({ where: { domain: "waited.myshopify.com" } })).toBe(1);
  });

  it("refuses a second delivery record with the same shop and webhook id (the dedupe key)", async () => {
    const row = { shop: "a.myshopify.com", webhookId: "w-1", topic: "APP_UNINSTALLED", outcome: "processed" };
    await t.db.webhookEvent.create({ data: row });
    await expect(t.db.webhookEvent.create({ data: row })).rejects.toMatchObject({ code: "P2002" });
    // Another shop may carry the same id.
    await t.db.webhookEvent.create({ data: { ...row, shop: "b.myshopify.com" } });
  });
});
