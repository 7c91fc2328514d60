import type { LoaderFunctionArgs } from "@remix-run/node";
import { CheckoutPageProblem, checkoutTotalsStream } from "../checkout-page/page.server";

// GET: the checkout page's live totals (Server-Sent Events), for the page's own link.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  try {
    return await checkoutTotalsStream(request.signal, params.shop!, params.cartId!, new URL(request.url).searchParams.get("sig"));
  } catch (error) {
    if (error instanceof CheckoutPageProblem) return new Response(error.title, { status: error.status, headers: { "Content-Type": "text/plain" } });
    throw error;
  }
};
