// Home's charts (polaris-viz). Client only: the charts measure their container, which the
// server cannot, so the page renders the same numbers as text first and the charts after.
// Each chart draws numbers that a table beside it gives to everyone, so the chart is hidden
// from assistive technology (polaris-viz 16 marks up lists without list items, which screen
// readers would announce as empty lists).
import { BarChart, DonutChart, FunnelChart, PolarisVizProvider } from "@shopify/polaris-viz";

type Point = { key: string; value: number };
const series = (name: string, data: Point[]) => [{ name, data }];

function Frame({ label, height, children }: { label: string; height: number; children: React.ReactNode }) {
  return (
    // `inert` keeps the chart's own buttons (legend, tooltips) out of the tab order too; React 18
    // passes it through as an attribute given a string.
    <figure aria-hidden="true" {...{ inert: "" }} data-chart={label} style={{ height, margin: 0 }}>
      <PolarisVizProvider>{children}</PolarisVizProvider>
    </figure>
  );
}

export function OutcomesChart({ label, data }: { label: string; data: Point[] }) {
  return (
    <Frame label={label} height={220}>
      <DonutChart data={data.map((d) => ({ name: d.key, data: [{ key: d.key, value: d.value }] }))} theme="Light" legendPosition="right" />
    </Frame>
  );
}

export function FunnelStagesChart({ label, data }: { label: string; data: Point[] }) {
  return (
    <Frame label={label} height={260}>
      <FunnelChart data={series("Carts", data)} theme="Light" />
    </Frame>
  );
}

export function HoldTimesChart({ label, data }: { label: string; data: Point[] }) {
  return (
    <Frame label={label} height={220}>
      <BarChart data={series("Orders", data)} theme="Light" showLegend={false} />
    </Frame>
  );
}
