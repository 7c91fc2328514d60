// JSON API answers: a machine-readable code and a human message for every refusal.
import { json } from "@remix-run/node";

export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return json({ error: { code, message }, ...extra }, { status });
}

/** Reads a JSON body of at most `limit` bytes; refusals are Responses to return as they are. */
export async function readJsonBody(request: Request, limit = 64 * 1024): Promise<unknown> {
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > limit) throw apiError(413, "body_too_large", `The body is larger than ${limit} bytes`);
  const text = await request.text();
  if (Buffer.byteLength(text) > limit) throw apiError(413, "body_too_large", `The body is larger than ${limit} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw apiError(400, "invalid_json", "The body is not valid JSON");
  }
}

export function zodMessage(issues: { path: (string | number)[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}
