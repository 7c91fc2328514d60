import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DescriptionList, Layout, Page, Text, TextField } from "@shopify/polaris";
import { ResponsiveTable } from "../admin-ui/responsive-table";
import { TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";
import { authenticate } from "../shopify.server";
import { holdDetail, releaseByHand, releaseByHandSchema } from "../holds/holds-admin.server";
import { HOLD_STATE_BADGES, timeLeftText } from "../holds/holds-admin";

const notFound = () => new Response("This shop has no such hold", { status: 404 });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const detail = await holdDetail(session.shop, admin, String(params.id));
  if (!detail) throw notFound();
  return json(detail);
};

// Release by hand, saying why: the reason goes on the hold's history.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = releaseByHandSchema.safeParse({ reason: (await request.formData()).get("reason") });
  if (!parsed.success) return json({ released: false, error: parsed.error.issues[0].message }, { status: 422 });
  const result = await releaseByHand(session.shop, String(params.id), parsed.data.reason);
  if (!result) throw notFound();
  return json({ released: result.released, error: result.released ? null : `This hold had already ended (${result.hold.state})` });
};

export default function HoldPage() {
  const { hold, history, moves } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { search } = useLocation();
  const [reason, setReason] = useState("");
  const live = hold.state === "held" || hold.state === "extended";
  const badge = HOLD_STATE_BADGES[hold.state];
  return (
    <Page
      title={hold.owner}
      titleMetadata={<Badge tone={badge?.tone}>{badge?.label ?? hold.state}</Badge>}
      backAction={{ content: "Holds", url: `/app/holds${search}` }}
    >
      <TitleBar title="Hold" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {done?.released && <Banner tone="success" title="Hold released: its units are available to other shoppers again" />}
            <Card>
              <DescriptionList
                items={[
                  { term: "Items", description: hold.lines.map((l) => `${l.title} × ${l.quantity}`).join(", ") },
                  { term: "Kind", description: hold.kind === "hard" ? "Hard (cannot be taken by another hold)" : "Soft (a hard hold may take it)" },
                  { term: "Time left", description: timeLeftText(hold.remainingSeconds, hold.state) },
                  { term: "Ends", description: new Date(hold.expiresAt).toUTCString() },
                  { term: "Why it is in this state", description: hold.reason },
                  {
                    term: "Shopify's reserved",
                    description: hold.mirrored ? "Moved to reserved while held" : "Left available (kept for the shopper by the checkout's validation)",
                  },
                ]}
              />
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  History
                </Text>
                <ResponsiveTable
                  columnContentTypes={["text", "text", "text"]}
                  headings={["When", "Became", "Why"]}
                  rows={history.map((h) => [new Date(h.at).toUTCString(), HOLD_STATE_BADGES[h.toState]?.label ?? h.toState, h.reason])}
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Moves in Shopify
                </Text>
                {moves.length === 0 ? (
                  <Text as="p" tone="subdued">
                    None: this hold never moved units in Shopify.
                  </Text>
                ) : (
                  <ResponsiveTable
                    columnContentTypes={["text", "text", "numeric", "text"]}
                    headings={["Move", "Result", "Attempts", "Last error"]}
                    rows={moves.map((m) => [m.action, m.state, m.attempts, m.lastError ?? "—"])}
                  />
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        {live && (
          <Layout.Section variant="oneThird">
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Release by hand
                  </Text>
                  <Text as="p">The shopper loses their reservation and the units go back on sale at once.</Text>
                  <TextField label="Why" name="reason" value={reason} onChange={setReason} autoComplete="off" error={done?.error ?? undefined} />
                  <Button submit variant="primary" tone="critical" loading={busy}>
                    Release hold
                  </Button>
                </BlockStack>
              </Form>
            </Card>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
