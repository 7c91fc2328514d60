import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, InlineStack, Layout, Link, Page, Select, Text, useBreakpoints } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { ListPager, useListParams } from "../admin-ui/list-page";
import { authenticate } from "../shopify.server";
import { checkoutListFilterSchema, listCheckouts } from "../headless-checkout/checkouts-admin.server";
import { amountText, CHECKOUT_STATE_BADGES } from "../headless-checkout/checkouts-admin";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  // A filter or cursor the page never makes (edited by hand) falls back to the first page of all checkouts.
  const parsed = checkoutListFilterSchema.safeParse({ state: params.state, cursor: params.cursor });
  const filter = parsed.success ? parsed.data : checkoutListFilterSchema.parse({});
  return json({ filter, ...(await listCheckouts(session.shop, filter)) });
};

const STATE_OPTIONS = [
  { label: "All", value: "all" },
  { label: "In progress", value: "in_progress" },
  { label: "Completed", value: "completed" },
  { label: "Failed, undone", value: "failed" },
  { label: "Stuck", value: "stuck" },
];

export default function Checkouts() {
  const { checkouts, next, filter } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const navigate = useNavigate();
  const withParams = useListParams();
  // On a phone each checkout is one stacked row (Polaris's condensed table), not a table to scroll sideways.
  const { smDown } = useBreakpoints();
  return (
    <Page title="Checkouts" subtitle="Headless checkouts through the Cart API, step by step" backAction={{ content: "Home", url: `/app${search}` }}>
      <TitleBar title="Checkouts" />
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }}>
              <Select label="State" options={STATE_OPTIONS} value={filter.state} onChange={(state) => navigate(withParams({ state, cursor: null }))} />
            </div>
            {checkouts.length === 0 ? (
              <EmptyState heading="No checkouts here yet" image="">
                <p>Each checkout a headless storefront starts through the Cart API appears here, with every step it took and what Stripe and Shopify said.</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "checkout", plural: "checkouts" }}
                itemCount={checkouts.length}
                selectable={false}
                condensed={smDown}
                headings={[{ title: "Started" }, { title: "Shopper" }, { title: "Amount", alignment: "end" }, { title: "State" }, { title: "Last step" }]}
              >
                {checkouts.map((c, i) =>
                  smDown ? (
                    <IndexTable.Row id={c.id} key={c.id} position={i} onClick={() => navigate(`/app/checkouts/${c.id}${search}`)}>
                      <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }}>
                        <BlockStack gap="100">
                          <InlineStack align="space-between" gap="200">
                            <Link url={`/app/checkouts/${c.id}${search}`} removeUnderline monochrome dataPrimaryLink>
                              <Text as="span" fontWeight="semibold">
                                {amountText(c.amount)}
                              </Text>
                            </Link>
                            <Badge tone={CHECKOUT_STATE_BADGES[c.state]?.tone}>{CHECKOUT_STATE_BADGES[c.state]?.label ?? c.state}</Badge>
                          </InlineStack>
                          <Text as="span" tone="subdued">
                            {c.email ?? "—"} · {c.lastStep ?? "—"}
                          </Text>
                          <Text as="span" tone="subdued">
                            {new Date(c.startedAt).toUTCString()}
                          </Text>
                        </BlockStack>
                      </div>
                    </IndexTable.Row>
                  ) : (
                    <IndexTable.Row id={c.id} key={c.id} position={i} onClick={() => navigate(`/app/checkouts/${c.id}${search}`)}>
                      <IndexTable.Cell>
                        {/* The row's link: keyboard users reach each checkout's page too. */}
                        <Link url={`/app/checkouts/${c.id}${search}`} removeUnderline monochrome dataPrimaryLink>
                          <Text as="span" fontWeight="semibold">
                            {new Date(c.startedAt).toUTCString()}
                          </Text>
                        </Link>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{c.email ?? "—"}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {amountText(c.amount)}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge tone={CHECKOUT_STATE_BADGES[c.state]?.tone}>{CHECKOUT_STATE_BADGES[c.state]?.label ?? c.state}</Badge>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{c.lastStep ?? "—"}</IndexTable.Cell>
                    </IndexTable.Row>
                  ),
                )}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <ListPager count={checkouts.length} noun={["checkout", "checkouts"]} cursor={filter.cursor} next={next} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
