// What the admin's hold pages show, with no server code: state badges and the time left.
export const HOLD_STATE_BADGES: Record<string, { label: string; tone?: "success" | "info" | "attention" | "critical" }> = {
  held: { label: "Held", tone: "info" },
  extended: { label: "Extended", tone: "info" },
  committed: { label: "Became an order", tone: "success" },
  released: { label: "Released" },
  expired: { label: "Expired", tone: "attention" },
};

export function timeLeftText(seconds: number, state: string): string {
  if (state !== "held" && state !== "extended") return "—";
  if (seconds <= 0) return "Ending";
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
