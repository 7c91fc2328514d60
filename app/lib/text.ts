// Text the outside world sends (JSON bodies, path parameters, headers) is checked once, where
// it is read: databases refuse what is not well-formed Unicode (a lone UTF-16 surrogate) and
// PostgreSQL refuses NUL in text, so without this a shopper's typo or an attacker's probe
// would reach the database and come back as a 500.

// C0 controls other than tab, newline and carriage return; DEL; C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Why `text` cannot be accepted, or undefined when it can. */
export function checkText(text: string, options: { allowLineBreaks?: boolean } = {}): string | undefined {
  if (!text.isWellFormed()) return "is not well-formed Unicode (a lone surrogate)";
  if (CONTROL.test(text)) return "contains a control character";
  if (!options.allowLineBreaks && /[\t\n\r]/.test(text)) return "contains a line break or tab";
  return undefined;
}

/**
 * The first string anywhere in a parsed JSON value (keys included) that cannot be accepted,
 * with its path. Line breaks are allowed in bodies (a note, an address line pasted in); control
 * characters and ill-formed Unicode are not. Nesting deeper than MAX_JSON_DEPTH is refused too:
 * no request of ours nests that deep, and recursive code further on (fingerprints, stored
 * answers) would exhaust the stack. Walked with a stack, not recursion: a 64 KiB body can nest
 * thirty thousand levels deep.
 */
export const MAX_JSON_DEPTH = 32;

export function findBadText(value: unknown): { path: string; problem: string } | undefined {
  const pending: { value: unknown; path: string[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  while (pending.length) {
    const { value: v, path, depth } = pending.pop()!;
    if (depth > MAX_JSON_DEPTH) return { path: path.join(".") || "body", problem: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    if (typeof v === "string") {
      const problem = checkText(v, { allowLineBreaks: true });
      if (problem) return { path: path.join(".") || "body", problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) pending.push({ value: v[i], path: path.length < 8 ? [...path, String(i)] : path, depth: depth + 1 });
    } else if (v && typeof v === "object") {
      for (const [key, inner] of Object.entries(v).reverse()) {
        const keyProblem = checkText(key);
        if (keyProblem) return { path: [...path, "(key)"].join(".") || "body", problem: keyProblem };
        pending.push({ value: inner, path: path.length < 8 ? [...path, key] : path, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
