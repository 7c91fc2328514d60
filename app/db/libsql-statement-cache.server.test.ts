import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClientWithStatementCache, type CachedClient } from "./libsql-statement-cache.server";

// The cache sits under the SQLite client whatever database the suite was given: it is tested
// on its own file.
let dir: string;
let cached: CachedClient;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "statement-cache-"));
  cached = createClientWithStatementCache({ url: `file:${join(dir, "cache.db")}` }, 3)!;
  await cached.client.execute(`CREATE TABLE "Probe" ("id" INTEGER PRIMARY KEY, "n" INTEGER NOT NULL CHECK ("n" >= 0))`);
});
afterEach(() => {
  cached.client.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (id: number, n: number) => cached.client.execute({ sql: `INSERT INTO "Probe" ("id", "n") VALUES (?, ?)`, args: [id, n] });
const rows = async () => (await cached.client.execute(`SELECT "id", "n" FROM "Probe" ORDER BY "id"`)).rows.map((r) => [r.id, r.n]);

describe("libsql statement cache", () => {
  it("prepares a statement once and runs it again", async () => {
    const before = { ...cached.cache.stats };
    for (let i = 1; i <= 50; i++) await insert(i, i);
    expect(cached.cache.stats.misses - before.misses).toBe(1);
    expect(cached.cache.stats.hits - before.hits).toBe(49);
    expect(await rows()).toHaveLength(50);
  });

  it("a reused statement that failed runs correctly next time, and reads see every write", async () => {
    await insert(1, 1);
    await expect(insert(1, 2)).rejects.toThrow(/UNIQUE/);
    await expect(insert(2, -1)).rejects.toThrow(/CHECK/);
    await insert(3, 3);
    expect(await rows()).toEqual([
      [1, 1],
      [3, 3],
    ]);
    await cached.client.execute("BEGIN IMMEDIATE");
    await insert(4, 4);
    expect(await rows()).toEqual([
      [1, 1],
      [3, 3],
      [4, 4],
    ]);
    await cached.client.execute("ROLLBACK");
    expect(await rows()).toEqual([
      [1, 1],
      [3, 3],
    ]);
  });

  it("keeps at most its capacity, dropping the least recently used", async () => {
    const sql = (k: number) => `SELECT ${k} AS "k"`;
    for (const k of [1, 2, 3]) await cached.client.execute(sql(k));
    await cached.client.execute(sql(1)); // 1 is used again: 2 is now the oldest
    await cached.client.execute(sql(4));
    expect(cached.cache.size()).toBe(3);
    const misses = cached.cache.stats.misses;
    await cached.client.execute(sql(1));
    expect(cached.cache.stats.misses).toBe(misses);
    expect((await cached.client.execute(sql(2))).rows[0].k).toBe(2);
    expect(cached.cache.stats.misses).toBe(misses + 1);
  });

  it("a statement prepared before a schema change still runs right after it", async () => {
    await insert(1, 1);
    await cached.client.execute(`ALTER TABLE "Probe" ADD COLUMN "note" TEXT`);
    await cached.client.execute(`CREATE INDEX "Probe_n" ON "Probe" ("n")`);
    await insert(2, 2);
    expect(await rows()).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it("is only for local files", () => {
    expect(createClientWithStatementCache({ url: ":memory:" })).toBeNull();
    expect(createClientWithStatementCache({ url: "file::memory:" })).toBeNull();
    expect(createClientWithStatementCache({ url: "libsql://example.turso.io" })).toBeNull();
  });
});
