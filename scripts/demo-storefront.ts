// The demo's headless storefront (`npm run demo`): a small shop a newcomer can buy from offline.
// Products come from the local dev store's catalog; the cart lives in Holdfast's Cart API (called
// from this server with the storefront key, which never reaches the browser); "Check out" goes
// to Holdfast's checkout page by the link the Cart API returns. Demo only: not production code.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Catalog } from "../test/dev-store/catalog";

export interface DemoStorefrontOptions {
  port: number;
  appUrl: string;
  storefrontKey: string;
  shopName: string;
  catalog: () => Catalog;
  currency: string;
}

interface CartAnswer {
  cart: { id: string };
  lines: { id: string; title: string; quantity: number; unitPrice: number; variantId: string }[];
  totals: { subtotal: number; grandTotal: number } | null;
  checkoutUrl: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const COOKIE = "demo_cart";

const STYLE = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fbfaf7}
a{color:inherit}header{background:#1f3a5f;color:#fff}header div{max-width:1080px;margin:0 auto;padding:16px;display:flex;justify-content:space-between;align-items:center}
header a{text-decoration:none;font-weight:700;font-size:1.25rem}header .cart{font-size:1rem;border:2px solid #fff;border-radius:999px;padding:8px 16px;min-height:44px}
main{max-width:1080px;margin:0 auto;padding:24px 16px}h1{margin:0 0 16px}.grid{display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));list-style:none;padding:0;margin:0}
.card{background:#fff;border:1px solid #e2e0da;border-radius:12px;overflow:hidden;display:flex;flex-direction:column}
.img{aspect-ratio:4/3;display:flex;align-items:center;justify-content:center;font-size:2.5rem;font-weight:800;color:#fff}
.body{padding:12px 16px 16px;display:flex;flex-direction:column;gap:6px;flex:1}.body h2{font-size:1rem;margin:0}.body p{margin:0}.price{font-weight:700}.stock{color:#595959;font-size:.875rem}
button,.button{font:inherit;font-weight:650;min-height:44px;border-radius:8px;border:0;background:#1f3a5f;color:#fff;padding:10px 16px;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center;justify-content:center}
button[disabled]{background:#8c8c8c;cursor:not-allowed}.body form{margin-top:auto}.body button{width:100%}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:12px}td,th{padding:12px;border-bottom:1px solid #e2e0da;text-align:left}.total{font-size:1.25rem;font-weight:700;margin:16px 0}
.actions{display:flex;gap:12px;flex-wrap:wrap;align-items:center}.link{background:none;color:#1f3a5f;text-decoration:underline;padding:0 4px}`;

export async function startDemoStorefront(o: DemoStorefrontOptions) {
  const money = (minor: number) => new Intl.NumberFormat("en", { style: "currency", currency: o.currency }).format(minor / 100);

  async function cartApi(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: CartAnswer }> {
    const res = await fetch(`${o.appUrl}/api/v1${path}`, {
      method,
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Mozilla/5.0 (Holdfast demo storefront)",
        "X-Holdfast-Storefront-Key": o.storefrontKey,
        ...(token ? { "X-Holdfast-Cart-Token": token } : {}),
        ...(method === "GET" ? {} : { "Idempotency-Key": randomUUID() }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as CartAnswer };
  }

  const page = (title: string, count: number | null, content: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)} · ${escape(o.shopName)}</title><style>${STYLE}</style></head>
<body><header><div><a href="/">${escape(o.shopName)}</a><a class="cart" href="/cart">Cart${count ? ` (${count})` : ""}</a></div></header><main>${content}</main></body></html>`;

  const tokenOf = (req: IncomingMessage) => new RegExp(`${COOKIE}=([\\w-]+)`).exec(req.headers.cookie ?? "")?.[1] ?? null;
  const readForm = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
  };
  const send = (res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", ...headers });
    res.end(html);
  };
  const hue = (id: number) => (id * 47) % 360;

  async function currentCart(req: IncomingMessage) {
    const token = tokenOf(req);
    if (!token) return null;
    const answer = await cartApi("GET", `/carts/${token}`, token);
    return answer.status === 200 ? answer.body : null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://storefront");
    if (req.method === "POST" && url.pathname === "/carrier-rates") {
      // The shop's carrier, as Shopify's CarrierService callback: rates by destination.
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const { rate } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { rate: { destination: { country: string }; currency: string } };
      const quote = (name: string, code: string, minor: number) => ({
        service_name: name,
        service_code: code,
        total_price: String(minor),
        currency: rate.currency,
      });
      const rates =
        rate.destination.country === "US"
          ? [quote("USPS Priority Mail", "usps-priority", 980)]
          : rate.destination.country === "CA"
            ? [quote("Canada Post Expedited", "canada-post-expedited", 1450)]
            : [quote("International Tracked", "intl-tracked", 2400)];
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ rates }));
    }
    if (req.method === "GET" && url.pathname === "/") {
      const cart = await currentCart(req);
      const catalog = o.catalog();
      const products = catalog.products.filter((p) => p.status === "ACTIVE").slice(0, 12);
      const items = products.map((p) => {
        const v = catalog.variants.find((x) => x.id === p.variantIds[0])!;
        const stock = catalog.levels.filter((l) => l.inventoryItemId === v.inventoryItemId).reduce((n, l) => n + l.quantities.available, 0);
        const initials = p.title
          .split(/\s+/)
          .map((w) => w[0])
          .join("")
          .slice(0, 2);
        return `<li class="card"><div class="img" style="background:hsl(${hue(p.id)} 45% 38%)" aria-hidden="true">${escape(initials)}</div><div class="body">
<h2>${escape(p.title)}</h2><p class="price">${escape(money(Math.round(Number(v.price) * 100)))}</p><p class="stock">${stock > 0 ? `${stock} in stock` : "Sold out"}</p>
<form method="post" action="/cart/add"><input type="hidden" name="variantId" value="${v.id}"><button ${stock > 0 ? "" : "disabled"} aria-label="Add ${escape(p.title)} to cart">Add to cart</button></form></div></li>`;
      });
      return send(res, 200, page("Shop", cart?.lines.reduce((n, l) => n + l.quantity, 0) ?? null, `<h1>Shop</h1><ul class="grid">${items.join("")}</ul>`));
    }
    if (req.method === "POST" && url.pathname === "/cart/add") {
      const form = await readForm(req);
      let token = tokenOf(req);
      const cart = await cartApi("POST", "/carts", token, {});
      token = cart.body.cart.id;
      const added = await cartApi("POST", `/carts/${token}/lines`, token, { variantId: `gid://shopify/ProductVariant/${form.get("variantId")}`, quantity: 1 });
      if (added.status >= 300) return send(res, added.status, page("Cart", null, `<h1>That did not work</h1><p>${escape(JSON.stringify(added.body))}</p>`));
      res.writeHead(303, { Location: "/cart", "Set-Cookie": `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000` });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/cart/remove") {
      const form = await readForm(req);
      const token = tokenOf(req);
      if (token) await cartApi("DELETE", `/carts/${token}/lines/${form.get("lineId")}`, token);
      res.writeHead(303, { Location: "/cart" });
      return res.end();
    }
    if (req.method === "GET" && url.pathname === "/cart") {
      const cart = await currentCart(req);
      if (!cart?.lines.length) return send(res, 200, page("Cart", null, `<h1>Your cart</h1><p>Your cart is empty. <a href="/">Keep shopping</a></p>`));
      const rows = cart.lines
        .map(
          (l) => `<tr><td>${escape(l.title)}</td><td>${l.quantity}</td><td>${escape(money(l.unitPrice * l.quantity))}</td>
<td><form method="post" action="/cart/remove"><input type="hidden" name="lineId" value="${escape(l.id)}"><button class="link" aria-label="Remove ${escape(l.title)}">Remove</button></form></td></tr>`,
        )
        .join("");
      return send(
        res,
        200,
        page(
          "Cart",
          cart.lines.reduce((n, l) => n + l.quantity, 0),
          `<h1>Your cart</h1><table><thead><tr><th>Item</th><th>Qty</th><th>Price</th><th><span style="position:absolute;left:-999px">Remove</span></th></tr></thead><tbody>${rows}</tbody></table>
<p class="total">Subtotal ${escape(money(cart.totals?.subtotal ?? 0))}</p><div class="actions"><a class="button" href="${escape(cart.checkoutUrl)}">Check out</a><a href="/">Keep shopping</a></div>`,
        ),
      );
    }
    send(res, 404, page("Not found", null, `<h1>Not found</h1><p><a href="/">Back to the shop</a></p>`));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error(`demo storefront: ${(error as Error).stack}`);
      if (!res.headersSent) send(res, 502, page("Error", null, "<h1>The shop could not reach Holdfast</h1>"));
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port, "127.0.0.1", resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
