// Every route's loader and action, wrapped once when the server starts: an error from Shopify or
// Stripe that reached the route's edge becomes a 503 with Retry-After. An API route's or a
// page's data request (Remix's `_data`) gets the JSON answer as it is; a page itself throws
// it, so Remix renders the error boundary with that status (entry.server adds Retry-After).
// Any other error in an API route is a JSON 500 (logged); a page's goes to its error boundary.
import { json, type ServerBuild } from "@remix-run/node";
import { upstreamFailure, upstreamFailureResponse } from "./upstream.server";

type Handler = (args: { request: Request }) => Promise<unknown> | unknown;

function guarded(handler: Handler, isPage: boolean): Handler {
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      const failure = upstreamFailure(error);
      if (!failure) {
        // An API route's own failure is still answered in the API's shape (Remix would send
        // "Unexpected Server Error" as text); a page's goes to its error boundary.
        if (isPage || error instanceof Response) throw error;
        console.error(`unhandled error in ${new URL(args.request.url).pathname}: ${(error as Error)?.stack ?? String(error)}`);
        return json({ error: { code: "internal_error", message: "Something went wrong on our side; it has been logged" } }, { status: 500 });
      }
      const response = upstreamFailureResponse(failure);
      const document = isPage && args.request.method === "GET" && !new URL(args.request.url).searchParams.has("_data");
      if (document) throw response;
      return response;
    }
  };
}

export function guardUpstreamFailures(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const module = route.module as unknown as Record<string, unknown>;
      const wrapped = { ...module };
      const isPage = typeof module.default === "function";
      if (typeof module.loader === "function") wrapped.loader = guarded(module.loader as Handler, isPage);
      if (typeof module.action === "function") wrapped.action = guarded(module.action as Handler, isPage);
      return [id, { ...route, module: wrapped }];
    }),
  );
  return { ...build, routes: routes as unknown as ServerBuild["routes"] };
}
