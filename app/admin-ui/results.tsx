// Home's results (issue 14): what Holdfast protected now and over a period, the checkout funnel,
// and the hold time against the TTL. Every number is on the page as text (and for the tests);
// the charts draw the same numbers once the page runs in the browser.
import { lazy, Suspense, useEffect, useState } from "react";
import { Banner, BlockStack, Card, DataTable, InlineGrid, Layout, Text } from "@shopify/polaris";
import { Figure } from "./list-page";
import { RESULT_PERIODS, TTL_BUCKETS, type PeriodKey } from "../shop/results";
import type { ShopResults } from "../shop/results.server";

// The charts (polaris-viz and d3, most of Home's script) load after the page is interactive.
const charts = () => import("./charts.client");
const OutcomesChart = lazy(() => charts().then((m) => ({ default: m.OutcomesChart })));
const FunnelStagesChart = lazy(() => charts().then((m) => ({ default: m.FunnelStagesChart })));
const HoldTimesChart = lazy(() => charts().then((m) => ({ default: m.HoldTimesChart })));

function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;

function Explained({ title, empty, children }: { title: string; empty: string | null; children: React.ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingMd">
          {title}
        </Text>
        {empty ? (
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        ) : (
          children
        )}
      </BlockStack>
    </Card>
  );
}

export function Results({ results, period }: { results: ShopResults; period: PeriodKey }) {
  const mounted = useMounted();
  const p = results.periods[period];
  const periodLabel = RESULT_PERIODS.find((x) => x.key === period)!.label.toLowerCase();
  const outcomes = [
    { key: "Became orders", value: p.ended.committed.holds },
    { key: "Expired", value: p.ended.expired.holds },
    { key: "Released", value: p.ended.released.holds },
  ];
  const ended = outcomes.reduce((n, o) => n + o.value, 0);
  const { reached, lostCheckouts } = results.funnel;
  const { holdTimes } = results;
  const ttl = holdTimes.ttlMinutes;
  const bucketLabels = [...TTL_BUCKETS.map((f) => `≤ ${+(f * ttl).toFixed(1)} min`), `> ${ttl} min`];
  const orders = holdTimes.buckets.reduce((a, b) => a + b, 0);
  return (
    <>
      <Layout.Section>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
          <Figure label="Held for shoppers now" value={`${units(results.protectedNow.units)} in ${results.protectedNow.holds} holds`} />
          <Figure label={`Sales saved, ${periodLabel}`} value={units(p.salesSaved.units)} tone={p.salesSaved.units ? "success" : undefined} />
          <Figure
            label={`Oversells prevented, ${periodLabel}`}
            value={units(p.oversellsPrevented.units)}
            tone={p.oversellsPrevented.units ? "success" : undefined}
          />
          <Figure label={`Shoppers told "sold out", ${periodLabel}`} value={p.refusals.shoppers} />
        </InlineGrid>
      </Layout.Section>
      <Layout.Section>
        <Text as="p" tone="subdued">
          Sales saved: held units that became orders while another shopper wanted them. Oversells prevented: units another shopper asked for that Shopify still
          showed as available — without holds, both would have bought them.
        </Text>
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <Explained
          title={`How holds ended, ${periodLabel}`}
          empty={ended ? null : "When shoppers start checking out, each hold appears here once it ends: as an order, expired, or released."}
        >
          {mounted && (
            <Suspense fallback={null}>
              <OutcomesChart label={`How holds ended, ${periodLabel}`} data={outcomes} />
            </Suspense>
          )}
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["Ended as", "Holds", "Units"]}
            rows={[
              ["Became orders", p.ended.committed.holds, p.ended.committed.units],
              ["Expired", p.ended.expired.holds, p.ended.expired.units],
              ["Released", p.ended.released.holds, p.ended.released.units],
            ]}
          />
        </Explained>
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <Explained
          title="Checkouts, last 30 days"
          empty={reached[0].carts ? null : "Carts made through the Cart API appear here with how far each got: checkout, stock held, payment, order."}
        >
          {mounted && (
            <Suspense fallback={null}>
              <FunnelStagesChart label="Carts by the furthest stage reached, last 30 days" data={reached.map((r) => ({ key: r.label, value: r.carts }))} />
            </Suspense>
          )}
          <DataTable columnContentTypes={["text", "numeric"]} headings={["Reached", "Carts"]} rows={reached.map((r) => [r.label, r.carts])} />
          {lostCheckouts.length > 0 && (
            <DataTable columnContentTypes={["text", "numeric"]} headings={["Checkouts lost to", "Carts"]} rows={lostCheckouts.map((l) => [l.label, l.carts])} />
          )}
        </Explained>
      </Layout.Section>
      <Layout.Section>
        <Explained
          title="Time from hold to order, last 30 days"
          empty={orders ? null : `Once holds become orders, this shows how long shoppers took against the ${ttl}-minute hold, and whether to change it.`}
        >
          <Banner tone={holdTimes.advice.tone}>{holdTimes.advice.text}</Banner>
          {mounted && (
            <Suspense fallback={null}>
              <HoldTimesChart label="Orders by time from hold to order" data={bucketLabels.map((key, i) => ({ key, value: holdTimes.buckets[i] }))} />
            </Suspense>
          )}
          <DataTable
            columnContentTypes={["text", "numeric"]}
            headings={["Hold to order", "Orders"]}
            rows={[...bucketLabels.map((label, i) => [label, holdTimes.buckets[i]]), ["Holds expired", holdTimes.expired]]}
          />
        </Explained>
      </Layout.Section>
    </>
  );
}
