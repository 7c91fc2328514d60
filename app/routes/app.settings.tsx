import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { SaveBar, TitleBar } from "@shopify/app-bridge-react";
import { useAppBridgePresent } from "../admin-ui/app-bridge";
import { useState } from "react";
import { authenticate } from "../shopify.server";
import { HOLD_STRATEGIES, HOLD_STRATEGY_LABELS, HOLD_TTL_MINUTES } from "../shop/hold-policy";
import { readHoldPolicy, saveHoldPolicy, type HoldPolicyErrors } from "../shop/hold-policy.server";
import { markSetupStep } from "../shop/setup.server";
import { readTotalsMode, saveTotalsMode, TOTALS_MODE_LABELS, TOTALS_MODES } from "../cart/totals-versions.server";
import { readCheckoutRequiresPhone, saveCheckoutRequiresPhone } from "../checkout-page/settings.server";
import { listStrategyOverrides, productTitles, removeStrategyOverride, setStrategyOverride, strategyOverrideSchema } from "../holds/strategy.server";
import { findValidation, readValidationFailureMode, saveValidationFailureMode, ValidationSetupError } from "../shopify-checkout/validation.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const overrides = await listStrategyOverrides(session.shop);
  const titles = await productTitles(
    admin,
    overrides.map((o) => o.productId),
  );
  // Whether the stock check is on in Shopify's checkout; unknown if Shopify cannot say just now.
  const validation = await findValidation(admin).catch(() => undefined);
  return json({
    validation: { mode: await readValidationFailureMode(session.shop), state: validation === undefined ? "unknown" : validation?.enabled ? "on" : "off" },
    policy: await readHoldPolicy(session.shop),
    totalsMode: await readTotalsMode(session.shop),
    checkoutRequiresPhone: await readCheckoutRequiresPhone(session.shop),
    totalsModes: TOTALS_MODES.map((value) => ({ value, label: TOTALS_MODE_LABELS[value] })),
    overrides: overrides.map((o) => ({ productId: o.productId, strategy: o.strategy, title: titles.get(o.productId) ?? "(no longer in Shopify)" })),
  });
};

type ActionResult = {
  intent: string;
  saved: boolean;
  errors: HoldPolicyErrors & { productId?: string; strategy?: string; totalsMode?: string; failureMode?: string };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "policy");
  const answer = (status: number, body: ActionResult) => json(body, { status });
  if (intent === "policy") {
    const result = await saveHoldPolicy(session.shop, { holdTtlMinutes: form.get("holdTtlMinutes"), holdStrategy: form.get("holdStrategy") });
    if (!result.ok) return answer(422, { intent, saved: false, errors: result.errors });
    await markSetupStep(session.shop, "hold_policy"); // the setup guide's step: the merchant chose a policy
    return answer(200, { intent, saved: true, errors: {} });
  }
  if (intent === "add_override") {
    const parsed = strategyOverrideSchema.safeParse({ productId: form.get("productId"), strategy: form.get("strategy") });
    if (!parsed.success) {
      const errors: ActionResult["errors"] = {};
      for (const issue of parsed.error.issues) errors[issue.path[0] as "productId" | "strategy"] ??= issue.message;
      return answer(422, { intent, saved: false, errors });
    }
    if (!(await productTitles(admin, [parsed.data.productId])).has(parsed.data.productId))
      return answer(422, { intent, saved: false, errors: { productId: `Shopify has no product ${parsed.data.productId} in this shop` } });
    await setStrategyOverride(session.shop, parsed.data.productId, parsed.data.strategy);
    return answer(200, { intent, saved: true, errors: {} });
  }
  if (intent === "totals_mode") {
    const result = await saveTotalsMode(session.shop, form.get("totalsMode"));
    if (!result.ok) return answer(422, { intent, saved: false, errors: { totalsMode: result.error } });
    return answer(200, { intent, saved: true, errors: {} });
  }
  if (intent === "validation_failure_mode") {
    try {
      const result = await saveValidationFailureMode(session.shop, admin, form.get("failureMode"));
      if (!result.ok) return answer(422, { intent, saved: false, errors: { failureMode: result.error } });
    } catch (error) {
      if (!(error instanceof ValidationSetupError)) throw error;
      return answer(422, { intent, saved: false, errors: { failureMode: error.message } });
    }
    return answer(200, { intent, saved: true, errors: {} });
  }
  if (intent === "checkout_page") {
    await saveCheckoutRequiresPhone(session.shop, form.get("requirePhone") === "on");
    return answer(200, { intent, saved: true, errors: {} });
  }
  if (intent === "remove_override") {
    await removeStrategyOverride(session.shop, String(form.get("productId") ?? ""));
    return answer(200, { intent, saved: true, errors: {} });
  }
  return answer(400, { intent, saved: false, errors: {} });
};

function StrategyOverrides() {
  const { overrides } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const appBridge = useAppBridgePresent();
  const [productId, setProductId] = useState("");
  const [picked, setPicked] = useState<string | null>(null);
  // Inside the Shopify admin the merchant picks the product from Shopify's own picker; elsewhere
  // (the demo, the tests) its ID is typed.
  const pick = async () => {
    const selection = await window.shopify.resourcePicker({ type: "product", action: "select", multiple: false });
    const product = selection?.[0];
    if (!product) return;
    setProductId(product.id);
    setPicked(product.title);
  };
  const [strategy, setStrategy] = useState<string>("final_check");
  const errors = result?.intent === "add_override" ? result.errors : {};
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Product overrides
        </Text>
        <Text as="p" tone="subdued">
          A product here uses its own strategy instead of the default.
        </Text>
        {overrides.length > 0 && (
          <BlockStack gap="200">
            {overrides.map((o) => (
              <InlineStack key={o.productId} align="space-between" blockAlign="center">
                <Text as="span">
                  {o.title} ({o.productId.split("/").pop()}): {HOLD_STRATEGY_LABELS[o.strategy as keyof typeof HOLD_STRATEGY_LABELS] ?? o.strategy}
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove_override" />
                  <input type="hidden" name="productId" value={o.productId} />
                  <Button submit variant="plain" tone="critical" accessibilityLabel={`Remove the override for ${o.title}`}>
                    Remove
                  </Button>
                </Form>
              </InlineStack>
            ))}
          </BlockStack>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="add_override" />
          <FormLayout>
            <FormLayout.Group>
              {appBridge ? (
                <BlockStack gap="100">
                  <input type="hidden" name="productId" value={productId} />
                  <Text as="span">Product</Text>
                  <InlineStack gap="200" blockAlign="center">
                    <Button onClick={pick}>{picked ? "Choose another product" : "Choose a product"}</Button>
                    {picked && <Text as="span">{picked}</Text>}
                  </InlineStack>
                  {errors.productId && (
                    <Text as="span" tone="critical">
                      {errors.productId}
                    </Text>
                  )}
                </BlockStack>
              ) : (
                <TextField
                  label="Product ID"
                  name="productId"
                  value={productId}
                  onChange={setProductId}
                  autoComplete="off"
                  helpText="The number in the product's admin URL, or its gid"
                  error={errors.productId}
                />
              )}
              <Select
                label="Strategy"
                name="strategy"
                options={HOLD_STRATEGIES.map((value) => ({ value, label: HOLD_STRATEGY_LABELS[value] }))}
                value={strategy}
                onChange={setStrategy}
                error={errors.strategy}
                helpText="For a product that sells differently: limited drops held from the cart, say."
              />
            </FormLayout.Group>
            <Button submit disabled={appBridge && !productId}>
              Add override
            </Button>
          </FormLayout>
        </Form>
      </BlockStack>
    </Card>
  );
}

function TotalsModeCard() {
  const { totalsMode, totalsModes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [mode, setMode] = useState<string>(totalsMode);
  const mine = result?.intent === "totals_mode" ? result : undefined;
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="totals_mode" />
        <FormLayout>
          <Text as="h2" variant="headingMd">
            Cart totals
          </Text>
          {mine?.saved && <Banner tone="success" title="Saved" />}
          <Select
            label="How the Cart API gives totals after a change"
            name="totalsMode"
            options={totalsModes}
            value={mode}
            onChange={setMode}
            error={mine?.errors.totalsMode}
            helpText="A storefront can ask for another way per request (?totals=sync|async|events). Checkout always recalculates on the spot."
          />
          <Button submit>Save cart totals</Button>
        </FormLayout>
      </Form>
    </Card>
  );
}

function CheckoutPageCard() {
  const { checkoutRequiresPhone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [requirePhone, setRequirePhone] = useState(checkoutRequiresPhone);
  const mine = result?.intent === "checkout_page" ? result : undefined;
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="checkout_page" />
        <FormLayout>
          <Text as="h2" variant="headingMd">
            Checkout page (headless storefronts)
          </Text>
          {mine?.saved && <Banner tone="success" title="Saved" />}
          <Checkbox
            label="Require a phone number"
            name="requirePhone"
            checked={requirePhone}
            onChange={setRequirePhone}
            helpText="Shoppers on Holdfast's checkout page are asked for a phone number only when this is on. Every extra field costs some shoppers."
          />
          <Button submit>Save checkout page</Button>
        </FormLayout>
      </Form>
    </Card>
  );
}

function StockCheckCard() {
  const { validation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [mode, setMode] = useState<string>(validation.mode);
  const mine = result?.intent === "validation_failure_mode" ? result : undefined;
  const state = mine?.saved ? "on" : validation.state;
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="validation_failure_mode" />
        <FormLayout>
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Stock check in Shopify&apos;s checkout
            </Text>
            <Badge tone={state === "on" ? "success" : state === "off" ? "critical" : undefined}>
              {state === "on" ? "On" : state === "off" ? "Off" : "Unknown"}
            </Badge>
          </InlineStack>
          <Text as="p" tone="subdued">
            Holdfast checks every checkout so that nobody buys units held for another shopper. If that check cannot run (an error, or Shopify timing it out),
            Shopify does what you choose here.
          </Text>
          {mine?.saved && <Banner tone="success" title="Saved: the stock check is on" />}
          <ChoiceList
            title="When the stock check cannot run"
            name="failureMode"
            choices={[
              {
                label: "Let shoppers check out (recommended)",
                value: "allow",
                helpText: "No sale is lost. While the check is down, a held unit could be bought by someone else; the holder is then told.",
              },
              {
                label: "Block checkout",
                value: "block",
                helpText: "No held unit is ever taken. While the check is down, nobody can complete a checkout in your store.",
              },
            ]}
            selected={[mode]}
            onChange={(values) => setMode(values[0])}
            error={mine?.errors.failureMode}
          />
          <Button submit>{state === "on" ? "Save stock check" : "Switch the stock check on"}</Button>
        </FormLayout>
      </Form>
    </Card>
  );
}

export default function Settings() {
  const { policy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = actionData?.intent === "policy" ? actionData : undefined;
  const saving = useNavigation().state === "submitting";
  const { search } = useLocation();
  const [ttl, setTtl] = useState(String(policy.holdTtlMinutes));
  const [strategy, setStrategy] = useState<string>(policy.holdStrategy);
  const errors = result?.errors ?? {};
  const appBridge = useAppBridgePresent();
  const submit = useSubmit();
  // Unsaved changes: Shopify's save bar inside the admin, a note beside the form elsewhere.
  const dirty = ttl !== String(policy.holdTtlMinutes) || strategy !== policy.holdStrategy;
  const save = () => submit({ intent: "policy", holdTtlMinutes: ttl, holdStrategy: strategy }, { method: "post" });
  const discard = () => {
    setTtl(String(policy.holdTtlMinutes));
    setStrategy(policy.holdStrategy);
  };

  return (
    <Page title="Settings" backAction={{ content: "Home", url: `/app${search}` }}>
      <TitleBar title="Settings" />
      {appBridge && (
        <SaveBar id="hold-policy-save-bar" open={dirty}>
          <button variant="primary" onClick={save} {...(saving ? { loading: "" } : {})}></button>
          <button onClick={discard}></button>
        </SaveBar>
      )}
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.saved && <Banner tone="success" title="Hold policy saved" />}
            {result && !result.saved && (
              <Banner tone="critical" title="Nothing was saved">
                Fix the fields marked below and save again.
              </Banner>
            )}
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="policy" />
                <FormLayout>
                  <TextField
                    label="Hold time (minutes)"
                    name="holdTtlMinutes"
                    type="number"
                    value={ttl}
                    onChange={setTtl}
                    autoComplete="off"
                    helpText={`How long stock stays reserved for a shopper in checkout: ${HOLD_TTL_MINUTES.min} to ${HOLD_TTL_MINUTES.max} minutes.`}
                    error={errors.holdTtlMinutes}
                  />
                  <Select
                    label="Default strategy"
                    name="holdStrategy"
                    options={HOLD_STRATEGIES.map((value) => ({ value, label: HOLD_STRATEGY_LABELS[value] }))}
                    value={strategy}
                    onChange={setStrategy}
                    error={errors.holdStrategy}
                    helpText="When stock is reserved for a shopper; a soft hold gives way to a shopper who is paying."
                  />
                  <InlineStack gap="300" blockAlign="center">
                    <Button submit variant="primary" loading={saving}>
                      Save
                    </Button>
                    {dirty && !appBridge && (
                      <>
                        <Text as="span" tone="caution">
                          Unsaved changes
                        </Text>
                        <Button variant="plain" onClick={discard}>
                          Discard
                        </Button>
                      </>
                    )}
                  </InlineStack>
                </FormLayout>
              </Form>
            </Card>
            <StrategyOverrides />
            <StockCheckCard />
            <TotalsModeCard />
            <CheckoutPageCard />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
