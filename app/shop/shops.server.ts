// A shop's life with Holdfast: installed, scopes changed, uninstalled.
import db from "../db.server";

export async function recordInstall(shop: string, scopes: string | undefined) {
  await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, scopes: scopes ?? null },
    // A reinstall starts a new installation period.
    update: { scopes: scopes ?? null, uninstalledAt: null, installedAt: new Date() },
  });
}

/** Uninstall: the shop's sessions are deleted (their tokens are dead) and the shop is marked. */
export async function recordUninstall(shop: string) {
  await db.$transaction([
    db.session.deleteMany({ where: { shop } }),
    db.shop.updateMany({ where: { domain: shop, uninstalledAt: null }, data: { uninstalledAt: new Date() } }),
  ]);
}

export async function recordScopesUpdate(shop: string, current: string[]) {
  const scope = current.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { domain: shop }, data: { scopes: scope } }),
  ]);
}

export async function findShop(shop: string) {
  return db.shop.findUnique({ where: { domain: shop } });
}
