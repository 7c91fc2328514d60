import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { isbot } from "isbot";
import { CheckoutPageProblem, checkoutPageAction, loadCheckoutPage, type PageActionResult } from "../checkout-page/page.server";
import { CHECKOUT_CSS } from "../checkout-page/styles";
import { CheckoutView, ConfirmationView, ProblemView } from "../checkout-page/view";
import { checkoutClient } from "../checkout-page/client-assets.server";
import type { RouteHandle } from "../root";
import { PAGE_DATA_HEADER } from "../checkout-page/route-id";

// The shopper's checkout page for a headless storefront's cart (app/checkout-page/): rendered on
// the server only, with its own small script for what must be live.
export const handle: RouteHandle = { hydrate: false };

const PAGE_HEADERS = {
  "Cache-Control": "no-store",
  // The link's signature never leaves in a Referer (to the shop's logo host, to Stripe).
  "Referrer-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
};

export const headers: HeadersFunction = () => PAGE_HEADERS;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "shop" in data ? `Checkout · ${data.shop.name}` : "Checkout" },
  { name: "robots", content: "noindex" },
];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  try {
    const page = await loadCheckoutPage(params.shop!, params.cartId!, url.searchParams.get("sig"), {
      // A link preview or a crawler opening the link holds nothing.
      placeHold: !isbot(request.headers.get("User-Agent") ?? ""),
    });
    return json({ ...page, client: checkoutClient()?.script ?? null }, { headers: PAGE_HEADERS });
  } catch (error) {
    if (error instanceof CheckoutPageProblem)
      return json({ kind: "problem" as const, title: error.title, detail: error.detail }, { status: error.status, headers: PAGE_HEADERS });
    throw error;
  }
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const url = new URL(request.url);
  const sig = url.searchParams.get("sig");
  // The page's script asks for the answer as data (Remix's `_data`, which Remix keeps from the
  // action's URL, and this header); a plain form post gets the page.
  const enhanced = request.headers.get(PAGE_DATA_HEADER) === "1";
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return json({ ok: false, formError: "The form could not be read; try again" } satisfies PageActionResult, { status: 400 });
  }
  try {
    const result = await checkoutPageAction(params.shop!, params.cartId!, sig, form);
    if (enhanced) return json(result, { status: result.ok ? 200 : 422, headers: PAGE_HEADERS });
    // A plain form post: the page again (post, redirect, get), or the form with what to fix.
    if (result.ok) return redirect(`${url.pathname}${url.search}`, 303);
    return json(result, { status: 422, headers: PAGE_HEADERS });
  } catch (error) {
    if (error instanceof CheckoutPageProblem)
      return json({ ok: false, formError: `${error.title}. ${error.detail}` } satisfies PageActionResult, { status: error.status });
    throw error;
  }
};

export default function CheckoutPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as PageActionResult | undefined;
  return (
    <>
      <style
        dangerouslySetInnerHTML={{
          __html:
            data.kind === "checkout" && data.shop.colors
              ? `${CHECKOUT_CSS}:root{--brand:${data.shop.colors.background};--on-brand:${data.shop.colors.foreground}}`
              : CHECKOUT_CSS,
        }}
      />
      {data.kind === "problem" ? (
        <ProblemView title={data.title} detail={data.detail} />
      ) : data.kind === "confirmation" ? (
        <ConfirmationView data={data} />
      ) : (
        <>
          {data.payment?.state === "processing" ? (
            // Without the script the page looks again by itself until the order is placed.
            <noscript>
              <meta httpEquiv="refresh" content="2" />
            </noscript>
          ) : null}
          <CheckoutView data={data} actionData={actionData} />
          {data.stripe ? <script src={data.stripe.jsUrl} async /> : null}
          {data.client ? <script type="module" src={data.client} /> : null}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const unavailable = isRouteErrorResponse(error) && error.status === 503;
  return (
    <>
      <style dangerouslySetInnerHTML={{ __html: CHECKOUT_CSS }} />
      <ProblemView
        title={unavailable ? "The shop cannot be reached just now" : "Something went wrong on our side"}
        detail={
          unavailable ? "Nothing was charged. Try again in a moment." : "Nothing was charged. Try again in a moment; if it keeps happening, contact the shop."
        }
      >
        <p>
          <a href="">Try again</a>
        </p>
      </ProblemView>
    </>
  );
}
