import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { authenticate } from "../shopify.server";
import { appConfig } from "../config.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return json({ apiKey: appConfig().SHOPIFY_API_KEY });
};

export default function App() {
  const { apiKey } = useLoaderData<typeof loader>();
  // Links keep the embedded query (shop, host, id_token) so a page also loads outside App Bridge.
  const { search } = useLocation();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        <Link to={`/app${search}`} rel="home">
          Home
        </Link>
        <Link to={`/app/holds${search}`}>Holds</Link>
        <Link to={`/app/checkouts${search}`}>Checkouts</Link>
        <Link to={`/app/findings${search}`}>Findings</Link>
        <Link to={`/app/status${search}`}>Status</Link>
        <Link to={`/app/settings${search}`}>Settings</Link>
        <Link to={`/app/storefront-keys${search}`}>Storefront keys</Link>
        <Link to={`/app/shipping${search}`}>Shipping and taxes</Link>
        <Link to={`/app/payments${search}`}>Payments</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
