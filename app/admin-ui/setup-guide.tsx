// The setup guide on Home (issue 14), after Polaris's setup-guide pattern: progress, each step
// with what it does and a way to do it, checked against the real state where the app can know
// it, marked by the merchant where it cannot; dismissible, and brought back from the same card.
import { Form, useLocation, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, Icon, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { CheckCircleIcon } from "@shopify/polaris-icons";
import type { SetupStep, SetupStepId } from "../shop/setup.server";

interface Setup {
  dismissed: boolean;
  done: number;
  steps: SetupStep[];
  links: { themeEditor: string; checkoutEditor: string };
}

const TEXT: Record<SetupStepId, { title: string; body: string }> = {
  theme_embed: {
    title: "Turn on cart reservations in your theme",
    body: "Every plan: in the theme editor, open App embeds and switch on Holdfast's cart reservation. Shoppers then see their items reserved as they head to checkout.",
  },
  stock_check: {
    title: "Keep held stock out of other shoppers' checkouts",
    body: "The stock check runs in Shopify's checkout and refuses a payment for units another shopper holds. Settings chooses what happens when it cannot run.",
  },
  hold_policy: {
    title: "Choose how long holds last",
    body: "10 to 20 minutes, and when stock is held: at checkout, on add to cart, or only checked at payment. Save it once in Settings.",
  },
  checkout_block: {
    title: "Show the hold in checkout (Shopify Plus)",
    body: "In the checkout editor, add the Holdfast block to the information, shipping or payment step. Holdfast cannot see the editor: mark it done here.",
  },
  stripe: {
    title: "Connect Stripe (headless storefronts)",
    body: "Checkouts through Holdfast's Cart API take payment on your Stripe account. Not needed if you sell only through Shopify's checkout.",
  },
  storefront_key: {
    title: "Create a storefront key (headless storefronts)",
    body: "A headless storefront calls the Cart API with a key of its own. Not needed if you sell only through Shopify's checkout.",
  },
};

function StepAction({ step, links }: { step: SetupStep; links: Setup["links"] }) {
  const { search } = useLocation();
  const open: Record<SetupStepId, { label: string; url: string; external?: boolean }> = {
    theme_embed: { label: "Open the theme editor", url: links.themeEditor, external: true },
    stock_check: { label: "Open Settings", url: `/app/settings${search}` },
    hold_policy: { label: "Open Settings", url: `/app/settings${search}` },
    checkout_block: { label: "Open the checkout editor", url: links.checkoutEditor, external: true },
    stripe: { label: "Open Payments", url: `/app/payments${search}` },
    storefront_key: { label: "Open Storefront keys", url: `/app/storefront-keys${search}` },
  };
  const go = open[step.id];
  const canMark = step.how === "marked" || step.only === "headless";
  return (
    <InlineStack gap="200" blockAlign="center">
      <Button url={go.url} target={go.external ? "_top" : undefined} variant="primary">
        {go.label}
      </Button>
      {canMark && (
        <Form method="post">
          <input type="hidden" name="intent" value="setup_step" />
          <input type="hidden" name="step" value={step.id} />
          <Button submit variant="plain">
            {step.only === "headless" ? "Not needed" : "Mark as done"}
          </Button>
        </Form>
      )}
    </InlineStack>
  );
}

export function SetupGuide({ setup }: { setup: Setup }) {
  const busy = useNavigation().state !== "idle";
  const total = setup.steps.length;
  const visibility = (intent: "setup_dismiss" | "setup_show", label: string) => (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button submit variant="plain" disabled={busy}>
        {label}
      </Button>
    </Form>
  );
  if (setup.dismissed || setup.done === total)
    return setup.done === total ? null : (
      <InlineStack align="end">{visibility("setup_show", `Show the setup guide (${setup.done} of ${total} done)`)}</InlineStack>
    );
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Setup guide
            </Text>
            <Text as="p" tone="subdued">
              What Holdfast needs to protect every checkout. Steps Holdfast can check are ticked on their own.
            </Text>
          </BlockStack>
          {visibility("setup_dismiss", "Dismiss")}
        </InlineStack>
        <BlockStack gap="100">
          <Text as="p" variant="bodySm">
            {setup.done} of {total} tasks complete
          </Text>
          <ProgressBar progress={Math.round((setup.done / total) * 100)} size="small" tone="primary" />
        </BlockStack>
        <BlockStack gap="300" as="ol">
          {setup.steps.map((step) => (
            <Box as="li" key={step.id} padding="300" background={step.done ? undefined : "bg-surface-secondary"} borderRadius="200">
              <InlineStack gap="300" wrap={false} blockAlign="start">
                <Box minWidth="20px">
                  {step.done ? (
                    <Icon source={CheckCircleIcon} tone="success" accessibilityLabel="Done" />
                  ) : (
                    <span
                      aria-label="To do"
                      role="img"
                      style={{ display: "inline-block", width: 16, height: 16, margin: 2, borderRadius: 8, border: "1.5px dashed #8a8a8a" }}
                    />
                  )}
                </Box>
                <BlockStack gap="200">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h3" variant="headingSm">
                      {TEXT[step.id].title}
                    </Text>
                    {step.how === "unknown" && <Badge tone="attention">Could not ask Shopify just now</Badge>}
                  </InlineStack>
                  {!step.done && (
                    <>
                      <Text as="p">{TEXT[step.id].body}</Text>
                      <StepAction step={step} links={setup.links} />
                    </>
                  )}
                </BlockStack>
              </InlineStack>
            </Box>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
