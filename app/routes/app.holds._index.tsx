import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Page,
  Select,
  Tag,
  Text,
  TextField,
  useBreakpoints,
} from "@shopify/polaris";
import { useState } from "react";
import { useAppBridgePresent } from "../admin-ui/app-bridge";
import { ListPager, useListParams } from "../admin-ui/list-page";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { holdListFilterSchema, listHolds } from "../holds/holds-admin.server";
import { HOLD_STATE_BADGES, timeLeftText } from "../holds/holds-admin";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  // A filter or cursor the page never makes (edited by hand) falls back to the first page of all holds.
  const parsed = holdListFilterSchema.safeParse({ state: params.state, kind: params.kind, product: params.product || undefined, cursor: params.cursor });
  const filter = parsed.success ? parsed.data : holdListFilterSchema.parse({});
  return json({ filter, ...(await listHolds(session.shop, admin, filter)) });
};

const STATE_OPTIONS = [
  { label: "All", value: "all" },
  { label: "Active", value: "active" },
  { label: "Became orders", value: "committed" },
  { label: "Released", value: "released" },
  { label: "Expired", value: "expired" },
];
const KIND_OPTIONS = [
  { label: "All", value: "all" },
  { label: "Hard", value: "hard" },
  { label: "Soft", value: "soft" },
];

export default function Holds() {
  const { holds, next, filter, product } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const navigate = useNavigate();
  // Links keep the embedded query (shop, host, id_token) and change only what they name.
  const withParams = useListParams();
  // On a phone each hold is one stacked row (Polaris's condensed table), not a table to scroll sideways.
  const { smDown } = useBreakpoints();
  const appBridge = useAppBridgePresent();
  const [typed, setTyped] = useState("");
  const byProduct = (id: string | null) => navigate(withParams({ product: id, cursor: null }));
  // Inside the Shopify admin the product comes from Shopify's picker; elsewhere its ID is typed.
  const pick = async () => {
    const selection = await window.shopify.resourcePicker({ type: "product", action: "select", multiple: false });
    if (selection?.[0]) byProduct(selection[0].id);
  };
  return (
    <Page title="Holds" backAction={{ content: "Home", url: `/app${search}` }}>
      <TitleBar title="Holds" />
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Box>
              <InlineStack gap="300" wrap>
                <Select label="State" options={STATE_OPTIONS} value={filter.state} onChange={(state) => navigate(withParams({ state, cursor: null }))} />
                <Select label="Kind" options={KIND_OPTIONS} value={filter.kind} onChange={(kind) => navigate(withParams({ kind, cursor: null }))} />
                {product ? (
                  <BlockStack gap="100">
                    <Text as="span">Product</Text>
                    <Tag onRemove={() => byProduct(null)}>{product.title ?? `No product ${product.id.split("/").pop()} in Shopify`}</Tag>
                  </BlockStack>
                ) : appBridge ? (
                  <BlockStack gap="100">
                    <Text as="span">Product</Text>
                    <Button onClick={pick}>Choose a product</Button>
                  </BlockStack>
                ) : (
                  <form
                    onSubmit={(event) => {
                      event.preventDefault();
                      if (typed.trim()) byProduct(typed.trim());
                    }}
                  >
                    <InlineStack gap="100" blockAlign="end" wrap={false}>
                      <TextField label="Product ID" value={typed} onChange={setTyped} autoComplete="off" />
                      <Button submit>Filter</Button>
                    </InlineStack>
                  </form>
                )}
              </InlineStack>
            </Box>
            {holds.length === 0 ? (
              <EmptyState heading="No holds here yet" image="">
                <p>Holds appear when shoppers head to checkout: each reserves their items for the time you set in Settings.</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "hold", plural: "holds" }}
                itemCount={holds.length}
                selectable={false}
                condensed={smDown}
                headings={[{ title: "Held for" }, { title: "Items" }, { title: "Kind" }, { title: "State" }, { title: "Time left" }, { title: "Created" }]}
              >
                {holds.map((h, i) =>
                  smDown ? (
                    <IndexTable.Row id={h.id} key={h.id} position={i} onClick={() => navigate(`/app/holds/${h.id}${search}`)}>
                      <Box>
                        <BlockStack gap="100">
                          <InlineStack align="space-between" gap="200" wrap={false}>
                            <Link url={`/app/holds/${h.id}${search}`} removeUnderline monochrome dataPrimaryLink>
                              <Text as="span" fontWeight="semibold" breakWord>
                                {h.owner}
                              </Text>
                            </Link>
                            <Badge tone={HOLD_STATE_BADGES[h.state]?.tone}>{HOLD_STATE_BADGES[h.state]?.label ?? h.state}</Badge>
                          </InlineStack>
                          {h.lines.map((l) => (
                            <Text as="span" key={`${l.inventoryItemId}@${l.locationId}`}>
                              {l.title} × {l.quantity}
                            </Text>
                          ))}
                          <Text as="span" tone="subdued">
                            {h.kind === "hard" ? "Hard" : "Soft"} · {timeLeftText(h.remainingSeconds, h.state)} left · {new Date(h.createdAt).toUTCString()}
                          </Text>
                        </BlockStack>
                      </Box>
                    </IndexTable.Row>
                  ) : (
                    <IndexTable.Row id={h.id} key={h.id} position={i} onClick={() => navigate(`/app/holds/${h.id}${search}`)}>
                      <IndexTable.Cell>
                        {/* The row's link: keyboard users reach each hold's page too. */}
                        <Link url={`/app/holds/${h.id}${search}`} removeUnderline monochrome dataPrimaryLink>
                          <Text as="span" variant="bodyMd" fontWeight="semibold">
                            {h.owner}
                          </Text>
                        </Link>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <BlockStack gap="050">
                          {h.lines.map((l) => (
                            <Text as="span" key={`${l.inventoryItemId}@${l.locationId}`}>
                              {l.title} × {l.quantity}
                            </Text>
                          ))}
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{h.kind === "hard" ? "Hard" : "Soft"}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge tone={HOLD_STATE_BADGES[h.state]?.tone}>{HOLD_STATE_BADGES[h.state]?.label ?? h.state}</Badge>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{timeLeftText(h.remainingSeconds, h.state)}</IndexTable.Cell>
                      <IndexTable.Cell>{new Date(h.createdAt).toUTCString()}</IndexTable.Cell>
                    </IndexTable.Row>
                  ),
                )}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <ListPager count={holds.length} noun={["hold", "holds"]} cursor={filter.cursor} next={next} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Box({ children }: { children: React.ReactNode }) {
  return <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }}>{children}</div>;
}
