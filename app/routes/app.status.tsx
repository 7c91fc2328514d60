import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { operationsStatus } from "../shop/operations.server";
import { Figure } from "../admin-ui/list-page";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json(await operationsStatus(session.shop));
};

const JOB_NAMES: Record<string, string> = {
  sweep: "Hold expiry",
  mirror: "Shopify mirror",
  "saga resume": "Checkout resume",
  "hold state": "Checkout stock check state",
  reconcile: "Reconcile with Shopify and Stripe",
  "abandoned carts": "Abandoned carts",
};
const when = (iso: string | null) => (iso ? new Date(iso).toUTCString() : "never");
const duration = (s: number) => (s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`);

export default function Status() {
  const s = useLoaderData<typeof loader>();
  const { search } = useLocation();
  return (
    <Page
      title="Status"
      subtitle="Is everything running? The first place to look when something feels wrong"
      backAction={{ content: "Home", url: `/app${search}` }}
    >
      <TitleBar title="Status" />
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
            <Figure label="Shopify mirror behind by" value={duration(s.mirror.lagSeconds)} tone={s.mirror.lagSeconds > 300 ? "critical" : undefined} />
            <Figure label="Moves Shopify kept refusing" value={String(s.mirror.parkedMoves)} tone={s.mirror.parkedMoves ? "critical" : undefined} />
            <Figure label="Checkouts stuck undoing" value={String(s.checkouts.stuck)} tone={s.checkouts.stuck ? "critical" : undefined} />
            <Figure label="Last reconcile" value={when(s.lastReconcileAt)} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Background work
              </Text>
              {s.jobs.length === 0 ? (
                <Text as="p" tone="subdued">
                  No background work has reported yet: it reports within a minute of the app starting.
                </Text>
              ) : (
                // A list rather than a table: it reads at 360 px without scrolling sideways.
                <BlockStack gap="300">
                  {s.jobs.map((j) => (
                    <BlockStack gap="050" key={j.job}>
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          {JOB_NAMES[j.job] ?? j.job}
                        </Text>
                        {j.alive ? <Badge tone="success">Running</Badge> : <Badge tone="critical">Not running</Badge>}
                      </InlineStack>
                      <Text as="p" tone="subdued">
                        Last success: {when(j.lastOkAt)}. Last failure: {j.lastErrorAt ? `${when(j.lastErrorAt)}: ${j.lastError}` : "none"}.
                      </Text>
                    </BlockStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Webhooks from Shopify, last 24 hours
              </Text>
              <Text as="p">
                {s.webhooks.processedLastDay} processed, {s.webhooks.failedLastDay} failed. Last received: {when(s.webhooks.lastReceivedAt)}
                {s.webhooks.lastTopic ? ` (${s.webhooks.lastTopic})` : ""}.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
