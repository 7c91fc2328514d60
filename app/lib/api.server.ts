// JSON API answers: a machine-readable code and a human message for every refusal.
import { json } from "@remix-run/node";
import { findBadText } from "./text";

export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return json({ error: { code, message }, ...extra }, { status, headers });
}

/** Reads a JSON body of at most `limit` bytes; refusals are Responses to return as they are. */
export async function readJsonBody(request: Request, limit = 64 * 1024, options: { emptyAs?: unknown } = {}): Promise<unknown> {
  const tooLarge = () => apiError(413, "body_too_large", `The body is larger than ${limit} bytes`, {}, { Connection: "close" });
  if (Number(request.headers.get("Content-Length") ?? 0) > limit) throw tooLarge();
  // Read as it arrives and stop at the limit: a chunked body has no length to check up front.
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > limit) throw tooLarge();
      chunks.push(chunk);
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw apiError(400, "invalid_text", "The body is not valid UTF-8");
  }
  if (options.emptyAs !== undefined && text.trim() === "") return options.emptyAs;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw apiError(400, "invalid_json", "The body is not valid JSON");
  }
  const bad = findBadText(body);
  if (bad) throw apiError(400, "invalid_text", `${bad.path} ${bad.problem}`);
  return body;
}

export function zodMessage(issues: { path: (string | number)[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}
