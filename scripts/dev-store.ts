// Runs the local Shopify dev store on its own: `npm run dev-store`.
// Reads SHOPIFY_API_KEY, SHOPIFY_API_SECRET and SHOPIFY_APP_URL like the app does.
import { startDevStore } from "../test/dev-store/server";
import { appRegistrationFromToml } from "../test/dev-store/app-toml";

const need = (name: string) => {
  const value = process.env[name];
  if (!value) {
    console.error(`dev store: ${name} is missing (the same value the app uses)`);
    process.exit(2);
  }
  return value;
};

const store = await startDevStore({
  app: appRegistrationFromToml({ apiKey: need("SHOPIFY_API_KEY"), apiSecret: need("SHOPIFY_API_SECRET"), appUrl: need("SHOPIFY_APP_URL") }),
  port: Number(process.env.DEV_STORE_PORT ?? 4100),
  log: (line) => console.log(line),
});
console.log(`dev store listening on ${store.url} with shops: ${[...store.state.shops.keys()].join(", ")}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void store.close().then(() => process.exit(0)));
