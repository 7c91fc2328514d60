// The same cart in Medusa's terms (@medusajs/utils decorateCartTotals), for the cross-check
// test and bench:totals. Medusa does not allocate order discounts itself (its promotion module
// does): it is given each line's discount as Holdfast allocated it.
import type { Totals, TotalsInput } from "./totals";

export function medusaCartFor(input: TotalsInput, totals: Totals) {
  const rule = input.destination
    ? input.taxRules?.find((r) => r.country === input.destination!.country && (!r.province || r.province === input.destination!.province))
    : undefined;
  const rate = rule ? rule.basisPoints / 100 : 0;
  const discountOf = new Map(totals.lines.map((l) => [l.id, l.discount]));
  return {
    currency_code: input.currency.toLowerCase(),
    items: input.lines.map((l) => ({
      id: l.id,
      unit_price: l.unitPrice,
      quantity: l.quantity,
      is_tax_inclusive: Boolean(input.pricesIncludeTax),
      adjustments: [{ amount: discountOf.get(l.id)!, is_tax_inclusive: Boolean(input.pricesIncludeTax) }],
      tax_lines: l.taxable && rule ? [{ rate }] : [],
    })),
    shipping_methods: totals.shippingRate
      ? [
          {
            id: totals.shippingRate.id,
            amount: totals.shipping,
            is_tax_inclusive: Boolean(input.pricesIncludeTax),
            tax_lines: rule?.shipping ? [{ rate }] : [],
          },
        ]
      : [],
  };
}
