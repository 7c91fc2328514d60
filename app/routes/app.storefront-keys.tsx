import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";
import { authenticate } from "../shopify.server";
import {
  createStorefrontKey,
  listStorefrontKeys,
  newKeySchema,
  revokeStorefrontKey,
  rotateStorefrontKey,
  STOREFRONT_KEY_HEADER,
} from "../storefront/keys.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ keys: await listStorefrontKeys(session.shop), header: STOREFRONT_KEY_HEADER });
};

type ActionData = { intent: string; ok: boolean; secret?: string; keyName?: string; errors?: { name?: string; allowedOrigins?: string }; message?: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const answer = (status: number, body: ActionData) => json(body, { status });
  if (intent === "create") {
    const origins = String(form.get("allowedOrigins") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean);
    const parsed = newKeySchema.safeParse({ name: form.get("name"), allowedOrigins: origins });
    if (!parsed.success) {
      const errors: ActionData["errors"] = {};
      for (const issue of parsed.error.issues) errors[issue.path[0] as "name" | "allowedOrigins"] ??= issue.message;
      return answer(422, { intent, ok: false, errors });
    }
    const { key, secret } = await createStorefrontKey(session.shop, parsed.data);
    return answer(201, { intent, ok: true, secret, keyName: key.name });
  }
  const id = String(form.get("id") ?? "");
  if (intent === "rotate") {
    const rotated = await rotateStorefrontKey(session.shop, id);
    if (!rotated) return answer(404, { intent, ok: false, message: "No active key with that id" });
    return answer(200, { intent, ok: true, secret: rotated.secret, keyName: rotated.key.name });
  }
  if (intent === "revoke") {
    const revoked = await revokeStorefrontKey(session.shop, id);
    return answer(revoked ? 200 : 404, { intent, ok: revoked, message: revoked ? "Key revoked: it stops working now" : "No active key with that id" });
  }
  return answer(400, { intent, ok: false, message: "Unknown action" });
};

export default function StorefrontKeys() {
  const { keys, header } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { search } = useLocation();
  const [name, setName] = useState("");
  const [origins, setOrigins] = useState("");
  const errors = result?.intent === "create" ? (result.errors ?? {}) : {};
  return (
    <Page title="Storefront keys" backAction={{ content: "Home", url: `/app${search}` }}>
      <TitleBar title="Storefront keys" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.secret && (
              <Banner tone="warning" title={`Copy the secret for “${result.keyName}” now: it is not shown again`}>
                <BlockStack gap="200">
                  <TextField label="Secret" labelHidden value={result.secret} readOnly autoComplete="off" monospaced selectTextOnFocus />
                  <Text as="p">Your storefront sends it in the {header} header.</Text>
                </BlockStack>
              </Banner>
            )}
            {result?.message && <Banner tone={result.ok ? "success" : "critical"} title={result.message} />}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Keys
                </Text>
                {keys.length === 0 && (
                  <Text as="p" tone="subdued">
                    No keys yet. A headless storefront needs one to use the Cart API.
                  </Text>
                )}
                {keys.map((k) => (
                  <InlineStack key={k.id} align="space-between" blockAlign="center" gap="200">
                    <BlockStack gap="100">
                      <InlineStack gap="200">
                        <Text as="span" fontWeight="semibold">
                          {k.name}
                        </Text>
                        <Badge tone={k.revokedAt ? "critical" : "success"}>{k.revokedAt ? "Revoked" : "Active"}</Badge>
                      </InlineStack>
                      <Text as="span" tone="subdued">
                        {k.id} · {k.allowedOrigins.length ? k.allowedOrigins.join(", ") : "server-to-server only"} · last used{" "}
                        {k.lastUsedAt ? new Date(k.lastUsedAt).toUTCString() : "never"}
                      </Text>
                    </BlockStack>
                    {!k.revokedAt && (
                      <InlineStack gap="200">
                        <Form method="post">
                          <input type="hidden" name="intent" value="rotate" />
                          <input type="hidden" name="id" value={k.id} />
                          <Button submit accessibilityLabel={`Rotate ${k.name}`}>
                            Rotate
                          </Button>
                        </Form>
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="id" value={k.id} />
                          <Button submit tone="critical" accessibilityLabel={`Revoke ${k.name}`}>
                            Revoke
                          </Button>
                        </Form>
                      </InlineStack>
                    )}
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="create" />
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    New key
                  </Text>
                  <TextField label="Name" name="name" value={name} onChange={setName} autoComplete="off" error={errors.name} />
                  <TextField
                    label="Allowed origins"
                    name="allowedOrigins"
                    value={origins}
                    onChange={setOrigins}
                    multiline={3}
                    autoComplete="off"
                    helpText="Browser origins allowed to call the Cart API with this key, one per line (https://shop.example.com). Leave empty for server-to-server use."
                    error={errors.allowedOrigins}
                  />
                  <Button submit variant="primary" loading={busy}>
                    Create key
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
