import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";
import { authenticate } from "../shopify.server";
import { shopCurrency } from "../shop/shopify-settings.server";
import { createShippingRate, deleteShippingRate, listShippingRates, shippingRateSchema } from "../cart/shipping.server";
import { listTaxRules, removeTaxRule, setTaxRule, taxRuleSchema } from "../cart/tax.server";
import { setRateProviderUrl } from "../cart/rate-providers.server";
import db from "../db.server";
import { formatDecimal, parseDecimal } from "../totals/money";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const currency = await shopCurrency(session.shop);
  const rates = await listShippingRates(session.shop);
  const taxes = (await listTaxRules(session.shop)).map((r) => ({
    ...r,
    percent: `${Math.trunc(r.basisPoints / 100)}.${String(r.basisPoints % 100).padStart(2, "0")}`,
  }));
  const shop = await db.shop.findUnique({ where: { domain: session.shop }, select: { rateProviderUrl: true } });
  return json({
    currency,
    taxes,
    rateProviderUrl: shop?.rateProviderUrl ?? "",
    rates: rates.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      price:
        r.kind === "flat" ? formatDecimal(r.amount, currency) : r.bands.map((b) => `up to ${b.upToGrams} g: ${formatDecimal(b.amount, currency)}`).join(", "),
      freeOver: r.freeOver !== undefined ? formatDecimal(r.freeOver, currency) : null,
    })),
  });
};

type ActionData = { ok: boolean; message?: string; errors?: Record<string, string> };

/** "12.50" in the shop's currency, or a message saying what is wrong. */
function money(value: FormDataEntryValue | null, currency: string, field: string): number | string {
  try {
    return parseDecimal(String(value ?? "").trim(), currency);
  } catch {
    return `${field} must be an amount such as 5.99`;
  }
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") === "tax") {
    // A percentage with at most two decimals is a whole number of basis points.
    const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(String(form.get("percent") ?? "").trim());
    const parsed = taxRuleSchema.safeParse({
      country: form.get("country"),
      province: form.get("province") ?? "",
      basisPoints: m ? Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")) : Number.NaN,
      shipping: form.get("taxShipping") === "on",
    });
    if (!m || !parsed.success) {
      const errors: Record<string, string> = {};
      if (!m) errors.basisPoints = "Rate must be a percentage with at most two decimals, such as 8.88";
      for (const issue of parsed.error?.issues ?? []) errors[String(issue.path[0])] ??= issue.message;
      return json<ActionData>({ ok: false, errors }, { status: 422 });
    }
    await setTaxRule(session.shop, parsed.data);
    return json<ActionData>({ ok: true, message: "Tax rate saved" }, { status: 200 });
  }
  if (form.get("intent") === "rate-provider") {
    const result = await setRateProviderUrl(session.shop, form.get("rateProviderUrl"));
    if (!result.ok) return json<ActionData>({ ok: false, errors: { rateProviderUrl: result.error } }, { status: 422 });
    return json<ActionData>({ ok: true, message: "Rate service saved" }, { status: 200 });
  }
  if (form.get("intent") === "delete-tax") {
    const ok = await removeTaxRule(session.shop, String(form.get("country") ?? ""), String(form.get("province") ?? ""));
    return json<ActionData>({ ok, message: ok ? "Tax rate removed" : "No such tax rate" }, { status: ok ? 200 : 404 });
  }
  if (form.get("intent") === "delete") {
    const ok = await deleteShippingRate(session.shop, String(form.get("id") ?? ""));
    return json<ActionData>({ ok, message: ok ? "Rate removed" : "No such rate" }, { status: ok ? 200 : 404 });
  }
  const currency = await shopCurrency(session.shop);
  const errors: Record<string, string> = {};
  const kind = String(form.get("kind") ?? "flat");
  const freeOverRaw = String(form.get("freeOver") ?? "").trim();
  const freeOver = freeOverRaw ? money(freeOverRaw, currency, "Free over") : null;
  if (typeof freeOver === "string") errors.freeOver = freeOver;
  let candidate: unknown;
  if (kind === "weight") {
    // One band a line: "1000: 5.99" (up to 1000 g costs 5.99).
    const bands = String(form.get("bands") ?? "")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .map((line) => {
        const m = /^(\d+)\s*:\s*(\S+)$/.exec(line);
        const amount = m ? money(m[2], currency, "Each band's amount") : "x";
        if (!m || typeof amount === "string") errors.bands = "Write one band a line, as grams: amount (1000: 5.99)";
        return { upToGrams: m ? Number(m[1]) : 0, amount: typeof amount === "number" ? amount : 0 };
      });
    candidate = { kind, title: form.get("title"), bands, freeOver };
  } else {
    const amount = money(form.get("amount"), currency, "Price");
    if (typeof amount === "string") errors.amount = amount;
    candidate = { kind: "flat", title: form.get("title"), amount: typeof amount === "number" ? amount : 0, freeOver };
  }
  const parsed = shippingRateSchema.safeParse(candidate);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "title")] ??= issue.message;
  if (Object.keys(errors).length || !parsed.success) return json<ActionData>({ ok: false, errors }, { status: 422 });
  await createShippingRate(session.shop, parsed.data);
  return json<ActionData>({ ok: true, message: "Rate added" }, { status: 201 });
};

export default function Shipping() {
  const { rates, currency, taxes, rateProviderUrl } = useLoaderData<typeof loader>();
  const [providerUrl, setProviderUrl] = useState(rateProviderUrl);
  const [country, setCountry] = useState("");
  const [province, setProvince] = useState("");
  const [percent, setPercent] = useState("");
  const result = useActionData<typeof action>();
  const { search } = useLocation();
  const [kind, setKind] = useState("flat");
  const [title, setTitle] = useState("");
  const [amount, setAmount] = useState("");
  const [bands, setBands] = useState("");
  const [freeOver, setFreeOver] = useState("");
  const errors = result?.errors ?? {};
  return (
    <Page title="Shipping and taxes" backAction={{ content: "Home", url: `/app${search}` }}>
      <TitleBar title="Shipping and taxes" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.message && <Banner tone={result.ok ? "success" : "critical"} title={result.message} />}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Rates offered to headless carts ({currency})
                </Text>
                {rates.length === 0 && (
                  <Text as="p" tone="subdued">
                    No rates yet: carts show no shipping choice.
                  </Text>
                )}
                {rates.map((r) => (
                  <InlineStack key={r.id} align="space-between" blockAlign="center">
                    <Text as="span">
                      {r.title}: {r.price}
                      {r.freeOver ? ` · free over ${r.freeOver}` : ""}
                    </Text>
                    <Form method="post">
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="id" value={r.id} />
                      <Button submit variant="plain" tone="critical" accessibilityLabel={`Remove ${r.title}`}>
                        Remove
                      </Button>
                    </Form>
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="create" />
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    New rate
                  </Text>
                  <TextField label="Title" name="title" value={title} onChange={setTitle} autoComplete="off" error={errors.title} />
                  <Select
                    label="Kind"
                    name="kind"
                    options={[
                      { label: "Flat price", value: "flat" },
                      { label: "By weight", value: "weight" },
                    ]}
                    value={kind}
                    onChange={setKind}
                  />
                  {kind === "flat" ? (
                    <TextField label="Price" name="amount" value={amount} onChange={setAmount} autoComplete="off" placeholder="5.99" error={errors.amount} />
                  ) : (
                    <TextField
                      label="Weight bands"
                      name="bands"
                      value={bands}
                      onChange={setBands}
                      multiline={3}
                      autoComplete="off"
                      helpText="One a line: up to grams: price (1000: 5.99)"
                      error={errors.bands}
                    />
                  )}
                  <TextField
                    label="Free over (optional)"
                    name="freeOver"
                    value={freeOver}
                    onChange={setFreeOver}
                    autoComplete="off"
                    placeholder="50.00"
                    error={errors.freeOver}
                  />
                  <Button submit variant="primary">
                    Add rate
                  </Button>
                </FormLayout>
              </Form>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Tax rates by destination
                </Text>
                {taxes.length === 0 && (
                  <Text as="p" tone="subdued">
                    No tax rates: carts show no tax.
                  </Text>
                )}
                {taxes.map((r) => (
                  <InlineStack key={`${r.country}-${r.province ?? ""}`} align="space-between" blockAlign="center">
                    <Text as="span">
                      {r.country}
                      {r.province ? `-${r.province}` : ""}: {r.percent}%{r.shipping ? ", shipping taxed" : ""}
                    </Text>
                    <Form method="post">
                      <input type="hidden" name="intent" value="delete-tax" />
                      <input type="hidden" name="country" value={r.country} />
                      <input type="hidden" name="province" value={r.province ?? ""} />
                      <Button submit variant="plain" tone="critical" accessibilityLabel={`Remove the tax rate for ${r.country}`}>
                        Remove
                      </Button>
                    </Form>
                  </InlineStack>
                ))}
                <Form method="post">
                  <input type="hidden" name="intent" value="tax" />
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField
                        label="Country"
                        name="country"
                        value={country}
                        onChange={setCountry}
                        autoComplete="off"
                        placeholder="US"
                        error={errors.country}
                      />
                      <TextField
                        label="Province (optional)"
                        name="province"
                        value={province}
                        onChange={setProvince}
                        autoComplete="off"
                        placeholder="NY"
                        error={errors.province}
                      />
                      <TextField
                        label="Rate (%)"
                        name="percent"
                        value={percent}
                        onChange={setPercent}
                        autoComplete="off"
                        placeholder="8.88"
                        error={errors.basisPoints}
                      />
                    </FormLayout.Group>
                    <label>
                      <input type="checkbox" name="taxShipping" /> Tax shipping too
                    </label>
                    <Button submit>Save tax rate</Button>
                  </FormLayout>
                </Form>
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="rate-provider" />
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Rate service
                  </Text>
                  <TextField
                    label="Carrier rate service URL"
                    name="rateProviderUrl"
                    value={providerUrl}
                    onChange={setProviderUrl}
                    autoComplete="off"
                    helpText="Optional. A service that answers Shopify's CarrierService callback format; its rates are offered next to the table's. Leave empty for none."
                    error={errors.rateProviderUrl}
                  />
                  <Button submit>Save rate service</Button>
                </FormLayout>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
