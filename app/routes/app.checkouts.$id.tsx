import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, DescriptionList, Layout, Link, Page, Text } from "@shopify/polaris";
import { ResponsiveTable } from "../admin-ui/responsive-table";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { checkoutDetail } from "../headless-checkout/checkouts-admin.server";
import { amountText, CHECKOUT_STATE_BADGES, durationText } from "../headless-checkout/checkouts-admin";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const detail = await checkoutDetail(session.shop, String(params.id));
  if (!detail) throw new Response("This shop has no such checkout", { status: 404 });
  return json(detail);
};

const KIND_LABELS = { step: "Step", compensation: "Undo", stripe: "Stripe", webhook: "Shopify" } as const;

export default function CheckoutPage() {
  const { checkout, timeline, links } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const badge = CHECKOUT_STATE_BADGES[checkout.state];
  return (
    <Page
      title={`Checkout of ${amountText(checkout.amount)}`}
      titleMetadata={<Badge tone={badge?.tone}>{badge?.label ?? checkout.state}</Badge>}
      backAction={{ content: "Checkouts", url: `/app/checkouts${search}` }}
    >
      <TitleBar title="Checkout" />
      <Layout>
        {checkout.error && (
          <Layout.Section>
            <Banner tone={checkout.state === "stuck" ? "critical" : "warning"} title={`Stopped at "${checkout.lastStep}"`}>
              {checkout.error}
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <DescriptionList
              items={[
                { term: "Shopper", description: checkout.email ?? "—" },
                { term: "Started", description: new Date(checkout.startedAt).toUTCString() },
                { term: "Ended", description: checkout.endedAt ? new Date(checkout.endedAt).toUTCString() : "Not yet" },
                { term: "Last step", description: checkout.lastStep ?? "—" },
                {
                  term: "Shopify order",
                  description: links.order ? (
                    <Link url={links.order.url} target="_top">
                      Order {links.order.id.split("/").pop()}
                    </Link>
                  ) : (
                    "None"
                  ),
                },
                {
                  term: "Stripe payment",
                  description: links.payment ? (
                    <Link url={links.payment.url} target="_blank">
                      {links.payment.id}
                    </Link>
                  ) : (
                    "None"
                  ),
                },
                {
                  term: "Hold",
                  description: links.holdId ? <Link url={`/app/holds/${links.holdId}${search}`}>The checkout's hold</Link> : "Nothing tracked was held",
                },
              ]}
            />
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Timeline
              </Text>
              <ResponsiveTable
                columnContentTypes={["text", "text", "text", "text", "numeric"]}
                headings={["When", "What", "Outcome", "Detail", "Took"]}
                rows={timeline.map((e) => [
                  new Date(e.at).toISOString().slice(11, 23),
                  `${KIND_LABELS[e.kind]}: ${e.name}${e.attempt && e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`,
                  e.outcome ?? "—",
                  e.detail ?? "",
                  durationText(e.durationMs),
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
