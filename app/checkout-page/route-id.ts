// How the checkout page's script asks its route's action for data rather than the page: Remix's
// `?_data=<route id>`, and this header (Remix removes `_data` from the URL the action sees).
export const CHECKOUT_ROUTE_ID = "routes/checkout.$shop.$cartId";
export const PAGE_DATA_HEADER = "X-Holdfast-Page-Data";
