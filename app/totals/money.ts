// Money is an integer number of the currency's minor units (cents, yen, fils): never a float.
// Exponents come from ICU's ISO 4217 data (JPY 0, USD 2, KWD 3).

export type Minor = number;

const exponents = new Map<string, number>();

export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    if (!/^[A-Z]{3}$/.test(currency) || !Intl.supportedValuesOf("currency").includes(currency))
      throw new RangeError(`${currency} is not an ISO 4217 currency code`);
    exponent = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, exponent);
  }
  return exponent;
}

export function assertMinor(value: number, what = "amount"): Minor {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a whole number of minor units, got ${value}`);
  return value;
}

/** Parses a decimal string such as Shopify's "12.30" exactly into minor units. */
export function parseDecimal(amount: string, currency: string): Minor {
  return parseFixed(amount, currencyExponent(currency), currency);
}

/**
 * A fraction such as Shopify's discount percentage (0.125 = 12.5%) in basis points, exactly:
 * read from the number's decimal text, never multiplied as a float.
 */
export function fractionToBasisPoints(fraction: number): number {
  return parseFixed(String(fraction), 4, "a basis-point value");
}

function parseFixed(amount: string, exponent: number, unit: string): Minor {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) throw new RangeError(`"${amount}" is not a decimal amount`);
  const [, sign, whole, fraction = ""] = m;
  if (fraction.replace(/0+$/, "").length > exponent) throw new RangeError(`"${amount}" has more decimals than ${unit} allows (${exponent})`);
  const digits = whole + fraction.padEnd(exponent, "0").slice(0, exponent);
  const value = Number(BigInt(digits)) * (sign ? -1 : 1);
  return assertMinor(value === 0 ? 0 : value, `"${amount}"`);
}

/** Minor units back to a decimal string ("12.30"), exactly. */
export function formatDecimal(minor: Minor, currency: string): string {
  assertMinor(minor);
  const exponent = currencyExponent(currency);
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent ? `.${digits.slice(-exponent)}` : "";
  return `${minor < 0 ? "-" : ""}${whole}${fraction}`;
}

/** round(value × numerator / denominator), half away from zero, computed exactly. */
export function mulDivRound(value: Minor, numerator: number, denominator: number): Minor {
  if (denominator <= 0) throw new RangeError("denominator must be positive");
  const product = BigInt(value) * BigInt(numerator);
  const d = BigInt(denominator);
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (2n * abs + d) / (2n * d);
  return assertMinor(Number(negative ? -rounded : rounded));
}

/**
 * Splits `total` across `weights` in proportion, by largest remainder: the parts are whole
 * minor units and always sum to exactly `total`. Ties go to the earlier weight.
 */
export function allocate(total: Minor, weights: number[]): Minor[] {
  assertMinor(total, "total");
  if (total < 0) return allocate(-total, weights).map((p) => -p);
  const sum = weights.reduce((s, w) => s + w, 0);
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError("weights must be whole numbers ≥ 0");
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const parts = weights.map((w) => (BigInt(total) * BigInt(w)) / BigInt(sum));
  const remainders = weights.map((w, i) => ({ i, r: (BigInt(total) * BigInt(w)) % BigInt(sum) }));
  let left = BigInt(total) - parts.reduce((s, p) => s + p, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p));
}
