import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  DescriptionList,
  InlineGrid,
  Layout,
  Page,
  Text,
  Badge,
  InlineStack,
  List,
  Banner,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { shopStatus } from "../shop/status.server";
import { reconcileShop } from "../holds/reconciler.server";
import { reconcileCheckouts } from "../headless-checkout/checkout-reconciler.server";
import { HOLD_STRATEGY_LABELS } from "../shop/hold-policy";
import { findingLabel } from "../shop/findings";
import { Figure, useListParams } from "../admin-ui/list-page";
import { shopResults } from "../shop/results.server";
import { RESULT_PERIODS, type PeriodKey } from "../shop/results";
import { Results } from "../admin-ui/results";
import { SetupGuide } from "../admin-ui/setup-guide";
import { dismissSetupGuide, markSetupStep, setupGuide, SETUP_STEPS, type SetupStepId } from "../shop/setup.server";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const asked = new URL(request.url).searchParams.get("period");
  const period: PeriodKey = RESULT_PERIODS.find((p) => p.key === asked)?.key ?? "week";
  const status = shopStatus(session.shop, admin);
  const [overview, results, setup] = await Promise.all([
    status,
    shopResults(session.shop),
    setupGuide(
      session.shop,
      admin,
      status.then((s) => s.shopifyPlus),
    ),
  ]);
  return json({ ...overview, results, period, setup });
};

// "Check now": reconcile this shop's holds with Shopify, and its checkouts, on demand.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "check");
  // The setup guide: a step marked done (or not needed), the guide dismissed or brought back.
  if (intent === "setup_step") {
    const step = String(form.get("step"));
    if (!SETUP_STEPS.includes(step as SetupStepId)) return json({ error: `No setup step ${step}` }, { status: 400 });
    await markSetupStep(session.shop, step as SetupStepId);
    return json({ setup: true });
  }
  if (intent === "setup_dismiss" || intent === "setup_show") {
    await dismissSetupGuide(session.shop, intent === "setup_dismiss");
    return json({ setup: true });
  }
  const findings = [...(await reconcileShop(session.shop, admin)), ...(await reconcileCheckouts(session.shop))];
  return json({ checked: true, findings: findings.length });
};

export default function Home() {
  const s = useLoaderData<typeof loader>();
  const answered = useActionData<typeof action>();
  const checked = answered && "checked" in answered ? answered : null;
  const navigation = useNavigation();
  const checking = navigation.state === "submitting" && !navigation.formData?.get("intent");
  const { search } = useLocation();
  const withParams = useListParams();
  const installed = s.installedAt ? new Date(s.installedAt).toUTCString() : "not recorded";
  return (
    <Page title="Holdfast">
      <TitleBar title="Holdfast" />
      <Layout>
        <Layout.Section>
          <SetupGuide setup={s.setup} />
        </Layout.Section>
        <Layout.Section>
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingLg">
              What Holdfast did
            </Text>
            <ButtonGroup variant="segmented">
              {RESULT_PERIODS.map((p) => (
                <Button key={p.key} url={withParams({ period: p.key })} pressed={p.key === s.period}>
                  {p.label}
                </Button>
              ))}
            </ButtonGroup>
          </InlineStack>
        </Layout.Section>
        <Results results={s.results} period={s.period} />
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
            <Figure label="Products" value={s.counts.products} />
            <Figure label="Active locations" value={s.counts.locations} />
            <Figure label="Webhooks processed" value={s.counts.webhooksProcessed} />
            <Figure label="Customer data requests" value={s.counts.openDataRequests} />
            <Figure label="Shopify moves pending" value={s.counts.movesPending} />
            <Figure label="Shopify moves parked" value={s.counts.movesParked} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Reconciliation
                </Text>
                <Form method="post">
                  <Button submit loading={checking}>
                    Check now
                  </Button>
                </Form>
              </InlineStack>
              {checked && (
                <Banner tone={checked.findings ? "warning" : "success"}>
                  {checked.findings ? `${checked.findings} finding${checked.findings === 1 ? "" : "s"}, listed below` : "Holds, ledger and Shopify agree"}
                </Banner>
              )}
              {s.findings.length === 0 ? (
                <Text as="p" tone="subdued">
                  No findings: the ledger matches the active holds and Shopify.
                </Text>
              ) : (
                <List>
                  {s.findings.map((f) => (
                    <List.Item key={f.id}>
                      {findingLabel(f.kind)}: {f.subject} ({new Date(f.at).toUTCString()}){f.repaired ? "" : " — needs a look"}
                    </List.Item>
                  ))}
                </List>
              )}
              <InlineStack>
                <Button url={`/app/findings${search}`} variant="plain">
                  All findings, and what was done
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                This shop
              </Text>
              <DescriptionList
                items={[
                  { term: "Shop", description: `${s.name} (${s.shop})` },
                  { term: "Installed since", description: installed },
                  { term: "Plan", description: s.plan },
                  { term: "Currency", description: s.currencyCode },
                  { term: "Shopify API version", description: s.apiVersion },
                  { term: "Database", description: s.database === "postgres" ? "PostgreSQL" : "SQLite" },
                ]}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="200">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  Hold policy
                </Text>
                <a href={`/app/settings${search}`}>Change</a>
              </InlineStack>
              <List>
                <List.Item>Holds last {s.policy.holdTtlMinutes} minutes</List.Item>
                <List.Item>{HOLD_STRATEGY_LABELS[s.policy.holdStrategy]}</List.Item>
              </List>
              <Text as="h3" variant="headingSm">
                Locations
              </Text>
              <Box>
                <InlineStack gap="200">
                  {s.locations.map((l) => (
                    <Badge key={l.id} tone={l.isActive ? "success" : undefined}>
                      {l.name}
                    </Badge>
                  ))}
                </InlineStack>
              </Box>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
