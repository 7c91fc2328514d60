import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches } from "@remix-run/react";

// The document's title (the Shopify admin shows each page's TitleBar; the frame needs one too).
export const meta = () => [{ title: "Holdfast" }];

/** A route's `handle`: `hydrate: false` renders it on the server only (the shopper's checkout page brings its own small script). */
export interface RouteHandle {
  hydrate?: boolean;
}

export default function App() {
  const hydrate = !useMatches().some((m) => (m.handle as RouteHandle | undefined)?.hydrate === false);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {hydrate ? <link rel="preconnect" href="https://cdn.shopify.com/" /> : null}
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        {hydrate ? (
          <>
            <ScrollRestoration />
            <Scripts />
          </>
        ) : null}
      </body>
    </html>
  );
}
