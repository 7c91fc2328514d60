// URLs a merchant gives us: https, or the developer's own machine.

/** https, or http on localhost / 127.0.0.1 while developing. An unparsable URL passes (zod's .url() reports it). */
export function isSecureOrLocal(value: string): boolean {
  if (!URL.canParse(value)) return true;
  const url = new URL(value);
  return url.protocol === "https:" || url.hostname === "localhost" || url.hostname === "127.0.0.1";
}
