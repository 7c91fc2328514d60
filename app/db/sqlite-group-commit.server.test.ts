import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { databaseProvider } from "./database-url";
import { startTestApp, type TestApp } from "../../test/harness";

let t: TestApp;
let groupCommit: typeof import("./sqlite-group-commit.server");
const SHOP = "group-commit.myshopify.com";
const LOC = "gid://shopify/Location/1";

beforeAll(async () => {
  t = await startTestApp();
  groupCommit = await import("./sqlite-group-commit.server");
  if (onSqlite) await t.db.$executeRawUnsafe(`CREATE TABLE "GroupCommitProbe" ("id" TEXT PRIMARY KEY, "n" INTEGER NOT NULL CHECK ("n" >= 0))`);
});
afterAll(async () => t?.close());

const insert = (id: string, n: number) => `INSERT INTO "GroupCommitProbe" ("id", "n") VALUES ('${id}', ${n})`;
const probes = async () => (await t.db.$queryRawUnsafe<{ id: string }[]>(`SELECT "id" FROM "GroupCommitProbe" ORDER BY "id"`)).map((r) => r.id);

const onSqlite = databaseProvider(inject("templateDatabaseUrl")) === "sqlite";

// PostgreSQL commits concurrent transactions together by itself; the group commit is SQLite's.
if (!onSqlite)
  it("is for SQLite only: on PostgreSQL it refuses to run", async () => {
    await expect(groupCommit.createSqliteGroupCommit(t.db)(async () => 1)).rejects.toThrow(/needs a SQLite client/);
  });

if (onSqlite)
  describe("SQLite group commit", () => {
    it("each write hears its own outcome, and a write that fails part-way is undone alone while the others commit", async () => {
      const inGroupCommit = groupCommit.createSqliteGroupCommit(t.db);
      const commits: number[] = [];
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          inGroupCommit(async (execute) => {
            await execute(insert(`a${String(i).padStart(2, "0")}`, 1), []);
            // Every fifth write fails after its first statement: its savepoint undoes that statement.
            if (i % 5 === 4) await execute(insert(`b${i}`, -1), []);
            commits.push(i);
            return i;
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled").map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual(
        Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 5 !== 4),
      );
      expect(String((outcomes[4] as PromiseRejectedResult).reason)).toMatch(/CHECK constraint failed/);
      const ids = await probes();
      expect(ids).toEqual(
        Array.from({ length: 40 }, (_, i) => i)
          .filter((i) => i % 5 !== 4)
          .map((i) => `a${String(i).padStart(2, "0")}`),
      );
    });

    it("a refused single write leaves the rest of its batch intact (batches of 8)", async () => {
      const inGroupCommit = groupCommit.createSqliteGroupCommit(t.db, 8);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          inGroupCommit((execute) => execute(insert(`c${String(i).padStart(2, "0")}`, i % 3 === 0 ? -1 : 1), []), { singleWrite: true }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? "rejected" : "fulfilled")));
      expect((await probes()).filter((id) => id.startsWith("c"))).toHaveLength(20 - 7);
    });

    it("concurrent holds through the group commit: exactly the stock is held, refusals name what is available", async () => {
      const { hold } = await import("../holds/holds.server");
      const { recordShopifyAvailable } = await import("../holds/ledger.server");
      const inventoryItemId = "gid://shopify/InventoryItem/880001";
      await recordShopifyAvailable(SHOP, { inventoryItemId, locationId: LOC, available: 25, updatedAt: new Date() });
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          hold(SHOP, { owner: { type: "cart", id: crypto.randomUUID() }, kind: "soft", lines: [{ inventoryItemId, locationId: LOC, quantity: 1 }] }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(25);
      expect(results.find((r) => !r.ok)).toMatchObject({ lines: [{ available: 0 }] });
      const level = await t.db.stockLevel.findFirstOrThrow({ where: { shop: SHOP, inventoryItemId } });
      expect(level.held).toBe(25);
      expect(await t.db.hold.count({ where: { shop: SHOP } })).toBe(25);
      // Each hold's row carries its lines and nothing else was written for it but the stock row.
      expect(await t.db.holdEvent.count({ where: { shop: SHOP } })).toBe(0);
    });
  });
