// The Cart API, described for headless storefront developers (OpenAPI 3.1). Served at
// /api/v1/openapi; the API tests check real answers against it.
const error = { $ref: "#/components/schemas/Error" };
const cartAnswer = { $ref: "#/components/schemas/CartAnswer" };
const json = (schema: object) => ({ content: { "application/json": { schema } } });
const refusals = {
  "400": { description: "Bad input; nothing changed", ...json(error) },
  "401": { description: "Missing or invalid storefront key, or a customer token Shopify does not know (customer_token_invalid)", ...json(error) },
  "403": { description: "Origin not allowed for this key", ...json(error) },
  "404": { description: "No such cart or line in this shop", ...json(error) },
  "409": {
    description: "The same Idempotency-Key is in progress (see Retry-After), or a discount code that cannot be combined with one applied",
    ...json(error),
  },
  "413": { description: "Body larger than 64 KiB", ...json(error) },
  "414": { description: "Request path longer than 2,048 characters (path_too_long)", ...json(error) },
  "415": { description: "A body that is not application/json (unsupported_media_type)", ...json(error) },
  "422": { description: "Refused (unknown variant, unknown or unusable discount code, Idempotency-Key reused with another request)", ...json(error) },
  "503": {
    description:
      "Shopify or Stripe cannot answer just now (shopify_unavailable, stripe_unavailable, upstream_unavailable); nothing changed. Retry after Retry-After seconds.",
    headers: { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 1 } } },
    ...json(error),
  },
};
const cartId = { name: "cartId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const lineId = { name: "lineId", in: "path", required: true, schema: { type: "string" } };
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description: "Makes the write safe to retry: the first answer is replayed (header Idempotent-Replayed: true).",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};
const address = {
  type: "object",
  additionalProperties: false,
  required: ["lastName", "address1", "city", "country"],
  properties: {
    firstName: { type: "string" },
    lastName: { type: "string" },
    company: { type: "string" },
    address1: { type: "string" },
    address2: { type: "string" },
    city: { type: "string" },
    province: { type: "string" },
    zip: { type: "string" },
    country: { type: "string", pattern: "^[A-Za-z]{2}$" },
    phone: { type: "string" },
  },
};
const customerToken = {
  name: "X-Holdfast-Customer-Token",
  in: "header",
  required: false,
  description:
    "A Shopify customer access token (Storefront API). Signs the shopper in: get-or-create answers the customer's cart, merging the guest's into it; a customer's cart answers only with this header.",
  schema: { type: "string" },
};
const cartTokenHeaders = {
  "X-Holdfast-Cart-Token": { description: "The cart token", schema: { type: "string", format: "uuid" } },
  "Set-Cookie": { description: "holdfast_cart_<shop>=<token>; HttpOnly; Secure; SameSite=None; Path=/api/v1/carts", schema: { type: "string" } },
};
const totalsModeParams = [
  {
    name: "totals",
    in: "query",
    required: false,
    description:
      "How to answer with totals: sync (in this answer), async (202; poll totalsUrl), events (202; the events stream pushes them). Defaults to the shop's setting.",
    schema: { type: "string", enum: ["sync", "async", "events"] },
  },
  { name: "Prefer", in: "header", required: false, description: "respond-async asks for the async mode (RFC 7240)", schema: { type: "string" } },
];
const accepted = { "202": { description: "Done; the totals for totalsVersion are calculated after the answer (async and events modes)", ...json(cartAnswer) } };
const checkoutId = { name: "checkoutId", in: "path", required: true, schema: { type: "string" } };
const checkoutAnswer = { $ref: "#/components/schemas/CheckoutAnswer" };
const withoutKeys = <T extends Record<string, unknown>>(o: T, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const minor = { type: "integer", description: "Integer minor units of the cart's currency (cents for USD, yen for JPY)" };

export const cartApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Holdfast Cart and Checkout API",
    version: "1.0.0",
    description: "Persistent carts with honest totals, and checkout, for headless storefronts. Amounts are integer minor units.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ storefrontKey: [] }],
  paths: {
    "/carts": {
      post: {
        summary: "Get or create a cart",
        description:
          "With X-Holdfast-Customer-Token: the signed-in customer's cart, on any device; a guest cart named by the token is merged into it (each guest line added, the same variant keeping the larger quantity; the customer's contact, addresses, codes and shipping choice kept, the guest's filling gaps), and that guest token is retired. The cart token is read from the body, the X-Holdfast-Cart-Token header, or the HttpOnly cookie holdfast_cart_<shop> (in that order). The answer carries the token in the header and sets the cookie (Secure, SameSite=None, 30 days), so a browser storefront calling with credentials keeps its cart without handling the token.",
        parameters: [idempotencyKey, { name: "X-Holdfast-Cart-Token", in: "header", required: false, schema: { type: "string" } }, customerToken],
        requestBody: { required: false, ...json({ type: "object", properties: { cartToken: { type: ["string", "null"] } } }) },
        responses: {
          "200": { description: "The existing cart", headers: cartTokenHeaders, ...json(cartAnswer) },
          "201": { description: "A new cart", headers: cartTokenHeaders, ...json(cartAnswer) },
          ...refusals,
        },
      },
    },
    "/carts/{cartId}": {
      get: {
        summary: "Read a cart with fresh totals",
        parameters: [cartId],
        responses: { "200": { description: "The cart", ...json(cartAnswer) }, ...refusals },
      },
    },
    "/carts/{cartId}/lines": {
      get: {
        summary: "List the lines",
        parameters: [cartId],
        responses: {
          "200": { description: "The lines", ...json({ type: "object", required: ["lines"], properties: { lines: { type: "array" } } }) },
          ...refusals,
        },
      },
      post: {
        summary: "Add a variant (the same variant adds to its line)",
        parameters: [cartId, idempotencyKey, ...totalsModeParams],
        requestBody: {
          required: true,
          ...json({
            type: "object",
            required: ["variantId", "quantity"],
            properties: { variantId: { type: "string" }, quantity: { type: "integer", minimum: 1, maximum: 999 } },
          }),
        },
        responses: { "201": { description: "Added", ...json(cartAnswer) }, ...accepted, ...refusals },
      },
      delete: {
        summary: "Remove several lines, all or none",
        parameters: [cartId, idempotencyKey, ...totalsModeParams],
        requestBody: {
          required: true,
          ...json({ type: "object", required: ["lineIds"], properties: { lineIds: { type: "array", items: { type: "string" }, minItems: 1 } } }),
        },
        responses: { "200": { description: "Removed", ...json(cartAnswer) }, ...accepted, ...refusals },
      },
    },
    "/carts/{cartId}/lines/{lineId}": {
      patch: {
        summary: "Set a line's quantity",
        parameters: [cartId, lineId, idempotencyKey, ...totalsModeParams],
        requestBody: {
          required: true,
          ...json({ type: "object", required: ["quantity"], properties: { quantity: { type: "integer", minimum: 1, maximum: 999 } } }),
        },
        responses: { "200": { description: "Updated", ...json(cartAnswer) }, ...accepted, ...refusals },
      },
      delete: {
        summary: "Remove a line",
        parameters: [cartId, lineId, idempotencyKey, ...totalsModeParams],
        responses: { "200": { description: "Removed", ...json(cartAnswer) }, ...accepted, ...refusals },
      },
    },
    "/carts/{cartId}/contact": {
      put: {
        summary: "Set the shopper's email and phone",
        parameters: [cartId, idempotencyKey, ...totalsModeParams],
        requestBody: {
          required: true,
          ...json({
            type: "object",
            additionalProperties: false,
            properties: { email: { type: ["string", "null"], format: "email" }, phone: { type: ["string", "null"] } },
          }),
        },
        responses: { "200": { description: "Set", ...json(cartAnswer) }, ...accepted, ...refusals },
      },
    },
    "/carts/{cartId}/shipping-rates": {
      get: {
        summary: "The shipping rates that apply to the cart now",
        parameters: [cartId],
        responses: {
          "200": {
            description: "Rates with their amounts for this cart",
            ...json({
              type: "object",
              required: ["rates", "chosen"],
              properties: {
                rates: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["id", "title", "amount"],
                    properties: { id: { type: "string" }, title: { type: "string" }, amount: minor },
                  },
                },
                chosen: { type: ["string", "null"] },
              },
            }),
          },
          ...refusals,
        },
      },
      put: {
        summary: "Choose a shipping rate",
        parameters: [cartId, idempotencyKey, ...totalsModeParams],
        requestBody: {
          required: true,
          ...json({ type: "object", required: ["rateId"], additionalProperties: false, properties: { rateId: { type: "string" } } }),
        },
        responses: { "200": { description: "Chosen", ...json(cartAnswer) }, ...accepted, ...refusals },
      },
    },
    "/carts/{cartId}/discount-codes": {
      post: {
        summary: "Apply one of the shop's discount codes",
        description:
          "Codes are the merchant's Shopify code discounts, case-insensitive. Refusals: discount_code_unknown, discount_code_inactive, discount_code_used_up, discount_code_not_eligible, discount_code_not_supported, too_many_discount_codes (422); discount_code_not_combinable (409). A code whose minimum is not met yet stays on the cart, listed in totals.discountCodes with applied: false and the reason.",
        parameters: [cartId, idempotencyKey, ...totalsModeParams],
        requestBody: {
          required: true,
          ...json({ type: "object", required: ["code"], additionalProperties: false, properties: { code: { type: "string", minLength: 1, maxLength: 64 } } }),
        },
        responses: { "200": { description: "Applied (or already applied)", ...json(cartAnswer) }, ...accepted, ...refusals },
      },
    },
    "/carts/{cartId}/discount-codes/{code}": {
      delete: {
        summary: "Remove a discount code",
        parameters: [cartId, { name: "code", in: "path", required: true, schema: { type: "string" } }, idempotencyKey, ...totalsModeParams],
        responses: { "200": { description: "Removed", ...json(cartAnswer) }, ...accepted, ...refusals },
      },
    },
    "/carts/{cartId}/totals": {
      get: {
        summary: "The totals for a version (poll after an async write)",
        parameters: [
          cartId,
          { name: "version", in: "query", required: false, description: "Defaults to the cart's current version", schema: { type: "integer", minimum: 0 } },
        ],
        responses: {
          "200": { description: "The totals of this version or a newer one", ...json({ $ref: "#/components/schemas/TotalsSnapshot" }) },
          "202": {
            description: "Still being calculated; ask again after Retry-After seconds",
            ...json({
              type: "object",
              required: ["cartId", "version", "status"],
              properties: {
                cartId: { type: "string" },
                version: { type: "integer" },
                status: { const: "pending" },
                latestVersion: { type: ["integer", "null"] },
              },
            }),
          },
          ...refusals,
        },
      },
    },
    "/carts/{cartId}/events": {
      get: {
        summary: "Server-Sent Events: the cart's totals, one `totals` event per new version",
        description:
          "The first event is the current totals; then each newer version, never an older one. Each event's data is a TotalsSnapshot. Browsers' EventSource cannot send the storefront key header: use a fetch-based event-source client.",
        parameters: [cartId],
        responses: { "200": { description: "An event stream", content: { "text/event-stream": { schema: { type: "string" } } } }, ...refusals },
      },
    },
    "/checkouts": {
      post: {
        summary: "Start the cart's checkout",
        description:
          "Recalculates the cart (a total that differs from expectedTotal stops the checkout with the reason), holds the stock, and creates the payment. Answers with the PaymentIntent's client_secret for Stripe's Payment Element once it awaits payment. One checkout per cart at a time: another start for the same cart answers the same checkout.",
        parameters: [{ ...idempotencyKey, required: true, description: "Required: a retry never starts a second payment." }, customerToken],
        requestBody: {
          required: true,
          ...json({
            type: "object",
            additionalProperties: false,
            required: ["cartId", "expectedTotal"],
            properties: { cartId: { type: "string", format: "uuid" }, expectedTotal: { ...minor, description: "The grand total the shopper was shown" } },
          }),
        },
        responses: {
          "202": { description: "Started (or the same checkout again)", ...json(checkoutAnswer) },
          "409": { description: "The checkout stopped (see checkout.error), or the key is in use", ...json({ oneOf: [checkoutAnswer, error] }) },
          ...withoutKeys(refusals, ["409"]),
        },
      },
    },
    "/checkouts/{checkoutId}": {
      get: {
        summary: "A checkout's state and timeline",
        parameters: [checkoutId],
        responses: { "200": { description: "The checkout", ...json(checkoutAnswer) }, ...refusals },
      },
    },
    "/checkouts/{checkoutId}/confirm": {
      post: {
        summary: "The shopper confirmed the payment in the browser",
        description: "A hint: Holdfast asks Stripe, and the checkout moves on only if the payment is authorised (Stripe's webhook moves it too).",
        parameters: [checkoutId, { ...idempotencyKey, required: true }],
        responses: { "200": { description: "The checkout", ...json(checkoutAnswer) }, ...refusals },
      },
    },
    "/carts/{cartId}/addresses": {
      put: {
        summary: "Set the shipping address (and billing, when it differs)",
        parameters: [cartId, idempotencyKey, ...totalsModeParams],
        requestBody: {
          required: true,
          ...json({
            type: "object",
            additionalProperties: false,
            required: ["shippingAddress"],
            properties: { shippingAddress: address, billingAddress: { oneOf: [address, { type: "null" }] } },
          }),
        },
        responses: { "200": { description: "Set", ...json(cartAnswer) }, ...accepted, ...refusals },
      },
    },
  },
  components: {
    securitySchemes: { storefrontKey: { type: "apiKey", in: "header", name: "X-Holdfast-Storefront-Key" } },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } } },
      },
      Address: address,
      Totals: {
        type: "object",
        required: ["currency", "exponent", "subtotal", "discounts", "shipping", "tax", "grandTotal", "adjustments", "priceChanges", "discountCodes"],
        properties: {
          currency: { type: "string" },
          exponent: { type: "integer" },
          subtotal: minor,
          discounts: minor,
          shipping: minor,
          tax: minor,
          grandTotal: minor,
          taxIncluded: { type: "boolean" },
          taxLines: {
            type: "array",
            description: "The tax by rate; basisPoints: 825 is 8.25%",
            items: {
              type: "object",
              required: ["title", "basisPoints", "amount"],
              properties: { title: { type: "string" }, basisPoints: { type: "integer" }, amount: minor },
            },
          },
          adjustments: {
            type: "array",
            items: {
              type: "object",
              required: ["step", "source", "amount", "reason"],
              properties: { step: { type: "string" }, source: { type: "string" }, amount: { type: "integer" }, reason: { type: "string" } },
            },
          },
          priceChanges: { type: "array", items: { type: "object", required: ["lineId", "was", "now"] } },
          discountCodes: {
            type: "array",
            items: {
              type: "object",
              required: ["code", "title", "applied"],
              properties: { code: { type: "string" }, title: { type: ["string", "null"] }, applied: { type: "boolean" }, reason: { type: "string" } },
            },
          },
        },
      },
      CheckoutAnswer: {
        type: "object",
        required: ["checkout"],
        properties: {
          checkout: {
            type: "object",
            required: ["id", "cartId", "state", "timeline"],
            properties: {
              id: { type: "string" },
              cartId: { type: "string" },
              state: { enum: ["processing", "awaiting_payment", "completed", "cancelling", "failed"] },
              clientSecret: { type: "string", description: "For Stripe's Payment Element, while the checkout awaits payment" },
              orderId: { type: "string", description: "The Shopify order, once completed" },
              paymentError: {
                type: "object",
                required: ["code", "message"],
                description: "While awaiting payment: why the last attempt to pay failed (a decline, a failed 3-D Secure check), for the shopper",
                properties: { code: { type: "string" }, message: { type: "string" } },
              },
              error: { type: "object", properties: { step: { type: ["string", "null"] }, message: { type: ["string", "null"] } } },
              timeline: {
                type: "array",
                items: {
                  type: "object",
                  required: ["step", "phase"],
                  properties: { step: { type: "string" }, phase: { type: "string" }, outcome: { type: ["string", "null"] }, at: { type: "string" } },
                },
              },
            },
          },
        },
      },
      TotalsSnapshot: {
        type: "object",
        required: ["cartId", "version", "reason", "computedAt", "totals"],
        properties: {
          cartId: { type: "string" },
          version: { type: "integer" },
          reason: { type: "string" },
          computedAt: { type: "string", format: "date-time" },
          totals: { $ref: "#/components/schemas/Totals" },
        },
      },
      CartAnswer: {
        type: "object",
        required: ["cart", "lines", "totals"],
        additionalProperties: false,
        properties: {
          totalsVersion: { type: "integer", description: "Every write moves it up by one; totals are calculated per version" },
          mergedFrom: { type: "string", description: "At sign-in: the guest cart token whose cart was merged into this one (that token is retired)" },
          totalsUrl: { type: "string", description: "Where to poll for this version's totals (async and events modes)" },
          checkoutUrl: {
            type: "string",
            format: "uri",
            description:
              "Holdfast's checkout page for this cart: send the shopper there to pay (signed for this cart and its customer; no storefront key needed)",
          },
          cart: {
            type: "object",
            required: ["id", "currency", "createdAt", "lastActivityAt"],
            properties: {
              id: { type: "string", format: "uuid" },
              currency: { type: "string", pattern: "^[A-Z]{3}$" },
              email: { type: ["string", "null"] },
              phone: { type: ["string", "null"] },
              shippingAddress: { oneOf: [{ $ref: "#/components/schemas/Address" }, { type: "null" }] },
              billingAddress: { oneOf: [{ $ref: "#/components/schemas/Address" }, { type: "null" }] },
              createdAt: { type: "string", format: "date-time" },
              lastActivityAt: { type: "string", format: "date-time" },
            },
          },
          lines: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "variantId", "productId", "title", "quantity", "unitPrice", "requiresShipping"],
              properties: {
                id: { type: "string" },
                variantId: { type: "string" },
                productId: { type: "string" },
                title: { type: "string" },
                quantity: { type: "integer", minimum: 1 },
                unitPrice: minor,
                requiresShipping: { type: "boolean" },
              },
            },
          },
          totals: { oneOf: [{ $ref: "#/components/schemas/Totals" }, { type: "null" }] },
        },
      },
    },
  },
} as const;
