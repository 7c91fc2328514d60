import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { ListPager, useListParams } from "../admin-ui/list-page";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { findingsFilterSchema, listFindings } from "../shop/findings.server";
import { FINDINGS, findingLabel } from "../shop/findings";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = findingsFilterSchema.safeParse({ kind: params.kind, repaired: params.repaired, cursor: params.cursor });
  const filter = parsed.success ? parsed.data : findingsFilterSchema.parse({});
  return json({ filter, ...(await listFindings(session.shop, filter)) });
};

const KIND_OPTIONS = [{ label: "All", value: "all" }, ...Object.entries(FINDINGS).map(([value, f]) => ({ label: f.label, value }))];
const REPAIRED_OPTIONS = [
  { label: "All", value: "all" },
  { label: "Repaired", value: "yes" },
  { label: "Needs a look", value: "no" },
];

export default function Findings() {
  const { findings, next, filter } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const navigate = useNavigate();
  const withParams = useListParams();
  return (
    <Page title="Findings" subtitle="What Holdfast's checks found, and what they did" backAction={{ content: "Home", url: `/app${search}` }}>
      <TitleBar title="Findings" />
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }}>
              <InlineStack gap="300" wrap>
                <Select label="What was found" options={KIND_OPTIONS} value={filter.kind} onChange={(kind) => navigate(withParams({ kind, cursor: null }))} />
                <Select
                  label="Outcome"
                  options={REPAIRED_OPTIONS}
                  value={filter.repaired}
                  onChange={(repaired) => navigate(withParams({ repaired, cursor: null }))}
                />
              </InlineStack>
            </div>
            {findings.length === 0 ? (
              <EmptyState heading="Nothing found" image="">
                <p>
                  Every few minutes Holdfast checks its holds against Shopify and its checkouts against Stripe. Anything it finds, and what it did, appears
                  here.
                </p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "finding", plural: "findings" }}
                itemCount={findings.length}
                selectable={false}
                headings={[{ title: "Found" }, { title: "About" }, { title: "Details" }, { title: "What was done" }, { title: "When" }]}
              >
                {findings.map((f, i) => (
                  <IndexTable.Row id={String(f.id)} key={f.id} position={i}>
                    <IndexTable.Cell>
                      <BlockStack gap="100">
                        <Text as="span" fontWeight="semibold">
                          {findingLabel(f.kind)}
                        </Text>
                        <span>{f.repaired ? <Badge tone="success">Repaired</Badge> : <Badge tone="attention">Needs a look</Badge>}</span>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{f.subject}</IndexTable.Cell>
                    <IndexTable.Cell>{f.found}</IndexTable.Cell>
                    <IndexTable.Cell>{FINDINGS[f.kind]?.done ?? ""}</IndexTable.Cell>
                    <IndexTable.Cell>{new Date(f.at).toUTCString()}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <ListPager count={findings.length} noun={["finding", "findings"]} cursor={filter.cursor} next={next} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
