// `npm run bench:totals`: Holdfast's totals pipeline against Medusa's cart totals
// (@medusajs/utils decorateCartTotals) on the same carts, in the same run: carts of 1, 10, 100
// and 1,000 lines with a line discount, an order discount, shipping and tax. Results are checked
// equal where the semantics overlap before timing. Prints one JSON object as its last line.
import { decorateCartTotals } from "@medusajs/utils";
import { calculateTotals, type TotalsInput } from "../app/totals/totals";
import { medusaCartFor } from "../app/totals/medusa-crosscheck";

function cartOf(size: number): TotalsInput {
  let seed = size * 7919;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = Array.from({ length: size }, (_, i) => ({
    id: `line-${String(i).padStart(5, "0")}`,
    variantId: `v${i}`,
    quantity: 1 + Math.floor(next() * 5),
    unitPrice: 100 + Math.floor(next() * 50_000),
    taxable: next() < 0.9,
    requiresShipping: true,
    weightGrams: Math.floor(next() * 1500),
  }));
  return {
    currency: "USD",
    lines,
    lineDiscounts: [{ code: "LINE10", lineId: lines[0].id, value: { kind: "percent", basisPoints: 1000 } }],
    orderDiscounts: [{ code: "ORDER5", value: { kind: "amount", amount: 500 } }],
    shippingRates: [{ id: "std", title: "Standard", kind: "flat", amount: 799, freeOver: 1_000_000 }],
    chosenShippingRateId: "std",
    destination: { country: "US", province: "NY" },
    taxRules: [{ country: "US", province: "NY", basisPoints: 888, shipping: true }],
  };
}

function time(fn: () => unknown, budgetMs: number) {
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const total = samples.reduce((s, x) => s + x, 0);
  return { opsPerSecond: Math.round(samples.length / (total / 1000)), p99Us: Number((samples[Math.floor(samples.length * 0.99)] * 1000).toFixed(1)) };
}

const ROUNDS = 3;
const result: Record<string, unknown> = {};
for (const size of [1, 10, 100, 1000]) {
  const input = cartOf(size);
  const ours = calculateTotals(input);
  const medusaInput = medusaCartFor(input, ours);
  const theirs = decorateCartTotals(medusaInput) as unknown as { item_subtotal: unknown; discount_subtotal: unknown };
  if (Number(String(theirs.item_subtotal)) !== ours.subtotal || Number(String(theirs.discount_subtotal)) !== ours.discounts)
    throw new Error(`size ${size}: Holdfast and Medusa disagree on subtotal or discounts`);
  const budget = size >= 1000 ? 1500 : 600;
  const runs: { holdfast: ReturnType<typeof time>[]; medusa: ReturnType<typeof time>[] } = { holdfast: [], medusa: [] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.holdfast.push(time(() => calculateTotals(input), budget));
    runs.medusa.push(time(() => decorateCartTotals(medusaInput), budget));
  }
  const median = (xs: ReturnType<typeof time>[]) => [...xs].sort((a, b) => a.opsPerSecond - b.opsPerSecond)[1];
  const holdfast = median(runs.holdfast);
  const medusa = median(runs.medusa);
  result[`lines_${size}`] = { holdfast, medusa, ratio: Number((holdfast.opsPerSecond / medusa.opsPerSecond).toFixed(2)) };
}
console.log(JSON.stringify(result));
