// The shop's Online Store theme, as far as Holdfast meets it: a small Online Store 2.0 theme
// (layout and cart template, in test/dev-store/theme/) rendered with a real Liquid engine
// (liquidjs), and the app's theme app extension embedded as Shopify embeds it: each app embed
// block (`target: body`) the merchant switched on in the theme editor — kept in the theme's
// `config/settings_data.json` shape — is rendered with its settings before </body>, with its
// schema's stylesheet and script. Test and demo infrastructure.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Liquid } from "liquidjs";
import { parse as parseToml } from "smol-toml";
import type { ShopState } from "./store";

const THEME_DIR = join(process.cwd(), "test", "dev-store", "theme");

export interface AppEmbed {
  /** The extension's folder, and the block's file name without .liquid. */
  extension: string;
  block: string;
  source: string;
  schema: { name: string; target: string; javascript?: string; stylesheet?: string; settings?: { id: string; default?: unknown }[] };
  locale: Record<string, unknown>;
}

/** The theme's `config/settings_data.json`, as far as app embeds go. */
export interface ThemeSettingsData {
  current: { blocks: Record<string, { type: string; disabled: boolean; settings: Record<string, unknown> }> };
}

const SCHEMA = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;

/** The app embed blocks of the app's theme app extensions (extensions/<name> with type "theme"). */
export function appEmbeds(root = process.cwd()): AppEmbed[] {
  const dir = join(root, "extensions");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((extension) => {
    const toml = join(dir, extension, "shopify.extension.toml");
    if (!existsSync(toml) || (parseToml(readFileSync(toml, "utf8")) as { type?: string }).type !== "theme") return [];
    const blocks = join(dir, extension, "blocks");
    const localeFile = join(dir, extension, "locales", "en.default.json");
    const locale = existsSync(localeFile) ? JSON.parse(readFileSync(localeFile, "utf8")) : {};
    return readdirSync(blocks)
      .filter((f) => f.endsWith(".liquid"))
      .flatMap((file) => {
        const text = readFileSync(join(blocks, file), "utf8");
        const schema = JSON.parse(SCHEMA.exec(text)?.[1] ?? "{}");
        if (schema.target !== "body") return [];
        return [{ extension, block: file.replace(/\.liquid$/, ""), source: text.replace(SCHEMA, ""), schema, locale }];
      });
  });
}

/** The block type Shopify writes in settings_data.json for an app embed. */
export const embedType = (apiKey: string, embed: Pick<AppEmbed, "block">) => `shopify://apps/${apiKey}/blocks/${embed.block}/holdfast`;

const money = (cents: unknown, currency: string) => new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(cents ?? 0) / 100);

export function createThemeRenderer(o: { apiKey: string; assetBase: (shop: string, extension: string) => string }) {
  const embeds = appEmbeds();
  const engine = new Liquid({ root: [join(THEME_DIR, "templates"), join(THEME_DIR, "layout")], extname: ".liquid", strictFilters: true });
  let locale: Record<string, unknown> = {};
  engine.registerFilter("t", (key: string) => String(key.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], locale) ?? key));
  engine.registerFilter("money", function (this: { context: { getSync(path: string[]): unknown } }, cents: unknown) {
    return money(cents, String(this.context.getSync(["shop", "currency"]) ?? "USD"));
  });

  /** Renders `template` for the shop, with its switched-on app embeds before </body>. */
  async function render(shop: ShopState, template: "cart", data: { cart: unknown; root: string }) {
    const routes = { root_url: data.root, cart_url: `${data.root}/cart` };
    const globals = { shop: { name: shop.name, currency: shop.currencyCode }, routes, template: { name: template }, cart: data.cart, page_title: "Your cart" };
    const content = await engine.renderFile(template, globals);
    let head = "";
    let bodyEnd = "";
    for (const embed of embeds) {
      const saved = Object.values(shop.themeSettingsData.current.blocks).find((b) => b.type === embedType(o.apiKey, embed));
      if (!saved || saved.disabled) continue;
      const settings = Object.fromEntries((embed.schema.settings ?? []).map((s) => [s.id, saved.settings[s.id] ?? s.default]));
      locale = embed.locale;
      bodyEnd += await engine.parseAndRender(embed.source, { ...globals, block: { settings } });
      const base = o.assetBase(shop.domain, embed.extension);
      if (embed.schema.stylesheet) head += `<link rel="stylesheet" href="${base}/${embed.schema.stylesheet}">`;
      if (embed.schema.javascript) bodyEnd += `<script src="${base}/${embed.schema.javascript}" defer></script>`;
    }
    return engine.renderFile("theme", { ...globals, content_for_layout: content, content_for_header: head, content_for_app_embeds: bodyEnd });
  }

  return { render, embeds };
}
