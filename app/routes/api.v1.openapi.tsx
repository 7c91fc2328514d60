import { otherMethods } from "../cart/api.server";
import { cartApiDocument } from "../cart/openapi";

// The Cart API's OpenAPI 3.1 document (public: it holds no shop data).
export const loader = () =>
  new Response(JSON.stringify(cartApiDocument), {
    headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" },
  });

export const action = otherMethods("GET");
