// Money and time as the shopper reads them; shared by the server's render and the page's script.
import { formatDecimal, parseDecimal } from "../totals/money";

const formats = new Map<string, Intl.NumberFormat>();

/** Minor units in the shop's currency, e.g. "$1,234.50" (the decimal string is exact; Intl only lays it out). */
export function money(minor: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) formats.set(currency, (format = new Intl.NumberFormat("en", { style: "currency", currency })));
  return format.format(Number(formatDecimal(minor, currency)));
}

/** "4:05" for 245 seconds. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** "4 minutes" / "45 seconds", for screen readers and the warning. */
export function spokenDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 60) {
    const m = Math.round(s / 60);
    return `${m} minute${m === 1 ? "" : "s"}`;
  }
  return `${s} second${s === 1 ? "" : "s"}`;
}

/** The parts of a total a shopper can be told changed: rendered into the page, compared by its script. */
export interface TotalsFacts {
  grandTotal: number;
  currency: string;
  shipping: { title: string; amount: number } | null;
  tax: { title: string; amount: number }[];
  discounts: number;
  priceChanges: { title: string; was: string; now: string }[];
}

/** Why the total moved from `before` to `after`, in the shopper's words; null when it did not. */
export function explainChange(before: TotalsFacts, after: TotalsFacts): string | null {
  if (before.grandTotal === after.grandTotal) return null;
  const reasons: string[] = [];
  for (const p of after.priceChanges)
    if (!before.priceChanges.some((q) => q.title === p.title && q.now === p.now))
      reasons.push(
        `the price of ${p.title} changed from ${money(parseDecimal(p.was, after.currency), after.currency)} to ${money(parseDecimal(p.now, after.currency), after.currency)}`,
      );
  const taxKey = (t: TotalsFacts["tax"]) => t.map((x) => `${x.title}:${x.amount}`).join("|");
  if (taxKey(before.tax) !== taxKey(after.tax))
    reasons.push(after.tax.length ? `tax: ${after.tax.map((t) => `${t.title} ${money(t.amount, after.currency)}`).join(", ")}` : "no tax applies");
  if (before.shipping?.title !== after.shipping?.title || before.shipping?.amount !== after.shipping?.amount)
    reasons.push(after.shipping ? `shipping: ${after.shipping.title} ${money(after.shipping.amount, after.currency)}` : "shipping removed");
  if (before.discounts !== after.discounts) reasons.push(after.discounts ? `discounts: −${money(after.discounts, after.currency)}` : "no discount applies");
  const total = `Total now ${money(after.grandTotal, after.currency)}`;
  return reasons.length ? `${total}: ${reasons.join("; ")}.` : `${total}.`;
}
