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
 * characters and ill-formed Unicode are not.
 */
export function findBadText(value: unknown, path: string[] = []): { path: string; problem: string } | undefined {
  if (typeof value === "string") {
    const problem = checkText(value, { allowLineBreaks: true });
    return problem ? { path: path.join(".") || "body", problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const keyProblem = checkText(key);
      if (keyProblem) return { path: [...path, "(key)"].join("."), problem: keyProblem };
      const found = findBadText(inner, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
