import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { appConfig, stripeConfig } from "../config.server";
import { authenticate } from "../shopify.server";
import { onboardingLink, paymentsStatus } from "../payments/connect.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  if (!stripeConfig().STRIPE_SECRET_KEY) return json({ configured: false as const, status: null });
  return json({ configured: true as const, status: await paymentsStatus(session.shop) });
};

// "Connect Stripe" / "Finish setting up": Stripe's hosted onboarding opens in the top window and
// comes back to this page inside the Shopify admin.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, redirect } = await authenticate.admin(request);
  const back = `https://${session.shop}/admin/apps/${appConfig().SHOPIFY_API_KEY}/app/payments`;
  const url = await onboardingLink(session.shop, { returnUrl: back, refreshUrl: back });
  return redirect(url, { target: "_top" });
};

const STATE_BADGES = {
  not_connected: { tone: "attention", label: "Not connected" },
  onboarding: { tone: "warning", label: "Setup not finished" },
  ready: { tone: "success", label: "Ready to take payments" },
  unreachable: { tone: "critical", label: "Account unreachable" },
} as const;

export default function Payments() {
  const { configured, status } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page>
      <TitleBar title="Payments" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Stripe
                </Text>
                {status ? <Badge tone={STATE_BADGES[status.state].tone}>{STATE_BADGES[status.state].label}</Badge> : null}
              </InlineStack>
              {!configured || !status ? (
                <Text as="p">Payments are not enabled on this Holdfast installation (no platform Stripe key).</Text>
              ) : status.state === "ready" ? (
                <Text as="p">Checkout payments go to your Stripe account {status.accountId}. Refunds and payouts are in your Stripe dashboard.</Text>
              ) : (
                <BlockStack gap="200">
                  <Text as="p">
                    {status.state === "onboarding"
                      ? "Stripe still needs some details before your account can take payments."
                      : status.state === "unreachable"
                        ? `Stripe no longer lets Holdfast reach account ${status.accountId} (it was disconnected or closed). Checkouts cannot take payments until you connect an account again.`
                        : "Connect your Stripe account: shoppers' payments go straight to it. Holdfast never sees your Stripe keys."}
                  </Text>
                  <Form method="post">
                    <Button submit variant="primary" loading={busy}>
                      {status.state === "onboarding" ? "Finish setting up Stripe" : status.state === "unreachable" ? "Connect Stripe again" : "Connect Stripe"}
                    </Button>
                  </Form>
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
