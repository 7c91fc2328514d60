import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";

// The document's title (the Shopify admin shows each page's TitleBar; the frame needs one too).
export const meta = () => [{ title: "Holdfast" }];

export default function App() {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
