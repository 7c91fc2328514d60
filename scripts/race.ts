// `npm run demo:race -- --store <dev store URL> --app <app URL>`: two shoppers race for the last
// unit of a product in the dev store's model of Shopify's checkout, against a running
// `npm run demo`. Each goes from cart to checkout; Holdfast's checkout extension holds the unit
// for the first, tells the second which line is short, and the validation Function blocks the
// second at payment while the first buys it. Prints every step as it happens.
import { devStoreSessionTokens, shopifyShopper } from "../test/shopify-shopper";
import { DEFAULT_SHOP } from "../test/dev-store/server";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const storeUrl = arg("store", "http://localhost:4100");
const appUrl = arg("app", "http://localhost:3000");
const shop = arg("shop", DEFAULT_SHOP);
const variantId = Number(arg("variant", "40003"));

const sessionToken = devStoreSessionTokens(storeUrl, shop);
const say = (who: string, what: string) => console.log(`${new Date().toISOString().slice(11, 23)}  ${who.padEnd(5)} ${what}`);

await fetch(`${storeUrl}/_dev/shops/${shop}/stock`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ variantId, available: 1 }),
});
say("store", `variant ${variantId} now has exactly 1 unit`);
const ann = shopifyShopper({ storeUrl, shop, appUrl, sessionToken });
const ben = shopifyShopper({ storeUrl, shop, appUrl, sessionToken });
for (const [name, s] of [
  ["Ann", ann],
  ["Ben", ben],
] as const) {
  await s.add(variantId, 1);
  await s.checkout();
  say(name, `added it to the cart and went to checkout (${s.checkoutToken})`);
}
const [annView, benView] = await Promise.all([ann.extension(), new Promise((r) => setTimeout(r, 30)).then(() => ben.extension())]);
say("Ann", `checkout extension: ${annView.kind === "held" ? `held for ${Math.round((annView.endsAt - Date.now()) / 60000)} minutes` : annView.kind}`);
say("Ben", `checkout extension: ${benView.kind === "short" ? `short: ${JSON.stringify(benView.lines)}` : benView.kind}`);
const benPays = await ben.complete();
say("Ben", `pays: ${benPays.status} ${JSON.stringify(benPays.body.errors?.[0]?.message ?? benPays.body.order?.name)}`);
const annPays = await ann.complete();
say("Ann", `pays: ${annPays.status} ${JSON.stringify(annPays.body.errors?.[0]?.message ?? annPays.body.order?.name)}`);
let held = await ann.readHold();
for (let i = 0; i < 50 && held.body?.hold?.state !== "committed"; i++) {
  await new Promise((r) => setTimeout(r, 100));
  held = await ann.readHold();
}
say("Ann", `her hold is now ${held.body?.hold?.state} (orders/create committed it)`);
