import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, Layout, Page, Select, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";
import { authenticate } from "../shopify.server";
import { HOLD_STRATEGIES, HOLD_STRATEGY_LABELS, HOLD_TTL_MINUTES } from "../shop/hold-policy";
import { readHoldPolicy, saveHoldPolicy, type HoldPolicyErrors } from "../shop/hold-policy.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ policy: await readHoldPolicy(session.shop) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const result = await saveHoldPolicy(session.shop, {
    holdTtlMinutes: form.get("holdTtlMinutes"),
    holdStrategy: form.get("holdStrategy"),
  });
  if (!result.ok) return json({ saved: false as const, errors: result.errors }, { status: 422 });
  return json({ saved: true as const, errors: {} as HoldPolicyErrors });
};

export default function Settings() {
  const { policy } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const { search } = useLocation();
  const [ttl, setTtl] = useState(String(policy.holdTtlMinutes));
  const [strategy, setStrategy] = useState<string>(policy.holdStrategy);
  const errors = result?.errors ?? {};

  return (
    <Page title="Hold policy" backAction={{ content: "Home", url: `/app${search}` }}>
      <TitleBar title="Hold policy" />
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
                  />
                  <Button submit variant="primary" loading={saving}>
                    Save
                  </Button>
                </FormLayout>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
