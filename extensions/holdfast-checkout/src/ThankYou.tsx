/** @jsxImportSource preact */
// The Thank-you page line: the reserved items were secured (the order committed the hold).
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { APP_URL } from "./app-url";

declare const shopify: import("@shopify/ui-extensions/purchase.thank-you.block.render").Api;

export default async () => {
  render(<Secured />, document.body);
};

function Secured() {
  const [secured, setSecured] = useState(false);
  useEffect(() => {
    const token = shopify.checkoutToken.value;
    if (!token) return;
    void (async () => {
      try {
        const res = await fetch(`${APP_URL}/api/checkout/holds/${encodeURIComponent(token)}`, {
          headers: { Authorization: `Bearer ${await shopify.sessionToken.get()}` },
        });
        const body = (await res.json().catch(() => null)) as { hold?: { state?: string } } | null;
        setSecured(res.ok && body?.hold?.state === "committed");
      } catch {
        // Nothing to say if the app cannot be reached: the order stands either way.
      }
    })();
  }, []);
  return secured ? <s-text>The items we reserved for you were secured for this order.</s-text> : null;
}
