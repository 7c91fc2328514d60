// Whether App Bridge runs this page (inside the Shopify admin) — its `shopify` global and its
// web components — or not (the demo and the tests open the admin directly, and Shopify's CDN is
// out of reach). App Bridge's React wrappers call the elements' methods at once, so a page uses
// them only when they exist and keeps a plain fallback otherwise.
import { useEffect, useState } from "react";

export function useAppBridgePresent(): boolean {
  const [present, setPresent] = useState(false);
  useEffect(() => {
    setPresent(typeof window.shopify?.resourcePicker === "function" && Boolean(window.customElements?.get("ui-save-bar")));
  }, []);
  return present;
}
