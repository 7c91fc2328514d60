// A headless storefront calling Holdfast's API in tests: the storefront key, a browser-like
// user agent (the Shopify library answers 410 to bots), JSON in and out, and an optional check
// of every answer (against the OpenAPI document).
export type AnswerCheck = (path: string, method: string, status: number, body: unknown) => void;

export function storefrontClient(baseUrl: () => string, key: () => string, check?: AnswerCheck) {
  return async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { "Content-Type": "application/json", "User-Agent": "HydrogenStorefront/1.0", "X-Holdfast-Storefront-Key": key(), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // A non-JSON answer is kept as such, so the test's assertion on the status shows it.
    let parsed: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { notJson: text.slice(0, 200) };
    }
    check?.(path.split("?")[0], method, res.status, parsed);
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
}
