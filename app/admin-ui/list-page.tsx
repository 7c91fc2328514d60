// What the admin's list pages share: links that change only the list's own parameters (the
// embedded query — shop, host, id_token — stays), and the pager under the list.
import { useLocation, useNavigate } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Pagination, Text } from "@shopify/polaris";

/** `?…` with `changes` applied to the current query (null removes a parameter). */
export function useListParams() {
  const { search } = useLocation();
  return (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) params.delete(k);
      else params.set(k, v);
    }
    return `?${params}`;
  };
}

/** The pager: back is the browser's back (keyset pages), on is the next cursor. Hidden for an empty first page. */
export function ListPager({ count, noun, cursor, next }: { count: number; noun: [string, string]; cursor?: string; next: string | null }) {
  const navigate = useNavigate();
  const withParams = useListParams();
  if (!count && !cursor) return null;
  return (
    <InlineStack align="center">
      <Pagination
        hasPrevious={Boolean(cursor)}
        onPrevious={() => navigate(-1)}
        hasNext={Boolean(next)}
        onNext={() => next && navigate(withParams({ cursor: next }))}
        label={<Text as="span">{count === 1 ? `1 ${noun[0]}` : `${count} ${noun[1]}`} on this page</Text>}
      />
    </InlineStack>
  );
}

/** A figure on a card: a label and its value. */
export function Figure({ label, value, tone }: { label: string; value: string | number; tone?: "critical" | "success" }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg" tone={tone}>
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}
