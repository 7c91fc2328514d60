// What the admin's checkout pages show, with no server code: state badges and amounts.
import { formatDecimal } from "../totals/money";

export const CHECKOUT_STATE_BADGES: Record<string, { label: string; tone?: "success" | "info" | "attention" | "critical" | "warning" }> = {
  running: { label: "In progress", tone: "info" },
  waiting: { label: "Awaiting payment", tone: "info" },
  compensating: { label: "Undoing", tone: "attention" },
  completed: { label: "Completed", tone: "success" },
  compensated: { label: "Failed, undone" },
  stuck: { label: "Stuck", tone: "critical" },
};

export const amountText = (amount: { minor: number; currency: string } | null) =>
  amount ? `${formatDecimal(amount.minor, amount.currency)} ${amount.currency}` : "—";

export function durationText(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
