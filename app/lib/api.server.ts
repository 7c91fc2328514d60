// JSON API answers: a machine-readable code and a human message for every refusal.
import { json } from "@remix-run/node";
import { findBadText } from "./text";

export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return json({ error: { code, message }, ...extra }, { status, headers });
}

/** How much of an oversized body is read and dropped so the connection survives the 413. */
const DRAIN_LIMIT = 1024 * 1024;

/** Reads a JSON body of at most `limit` bytes; refusals are Responses to return as they are. */
export async function readJsonBody(request: Request, limit = 64 * 1024, options: { emptyAs?: unknown } = {}): Promise<unknown> {
  const tooLarge = (close = false) => apiError(413, "body_too_large", `The body is larger than ${limit} bytes`, {}, close ? { Connection: "close" } : {});
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  // Far too large: refused at once, and the connection closes (reading it all would be the attack).
  if (declared > DRAIN_LIMIT) throw tooLarge(true);
  // Read as it arrives and stop keeping it at the limit: a chunked body has no length to check
  // up front. The rest is still read (and dropped, up to DRAIN_LIMIT), so the 413 leaves the
  // kept-alive connection usable for the client's next request.
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    // A reader, not `for await`: leaving that loop early cancels the stream, and cancelling it
    // destroys the connection, so a client would get a reset instead of the 413. Let go of the
    // stream instead: the server drops the rest and closes after the answer (http.server.ts).
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > DRAIN_LIMIT) {
        reader.releaseLock();
        throw tooLarge(true);
      }
      if (size <= limit) chunks.push(value);
    }
  }
  if (size > limit || declared > limit) throw tooLarge();
  const bytes = Buffer.concat(chunks);
  if (options.emptyAs !== undefined && bytes.toString("latin1").trim() === "") return options.emptyAs;
  // JSON only: a form or text/plain body is what a cross-site page can send without asking.
  const type = request.headers.get("Content-Type");
  if (!type || !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type))
    throw apiError(415, "unsupported_media_type", "The body must be JSON, sent with Content-Type: application/json");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw apiError(400, "invalid_text", "The body is not valid UTF-8");
  }
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
