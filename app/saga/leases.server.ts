// Saga run leases: a run is moved by one loop at a time, the one whose token is on the row
// until `leaseUntil`. A token is the owner's name (the process identity) and a suffix of its
// own, so two loops in one process never share one, and a restarted instance knows its
// previous life's leases by the owner prefix. Every claim and release is one conditional
// update: whoever's write matches the row's current lease wins, nobody reads and writes back.
import { randomUUID } from "node:crypto";
import db from "../db.server";

export const MOVABLE_STATES = ["running", "compensating"];

export class Leases {
  constructor(
    readonly owner: string,
    readonly leaseMs: number,
  ) {}

  /** A new token for one advancing loop. */
  token(): string {
    return `${this.owner}:${randomUUID().slice(0, 8)}`;
  }

  /** When a lease taken or renewed at `from` runs out. */
  until(from = Date.now()): Date {
    return new Date(from + this.leaseMs);
  }

  /** Where-clause: a movable run nobody holds, or whose lease has run out. */
  free(now = new Date()) {
    return { state: { in: MOVABLE_STATES }, OR: [{ leaseOwner: null }, { leaseUntil: null }, { leaseUntil: { lt: now } }] };
  }

  /**
   * Takes the run for a new loop if nobody holds it. Returns the row as it was before (its
   * previous holder, if any, was interrupted) and the new token; null when another holds it.
   */
  async claim(runId: string) {
    const now = new Date();
    const token = this.token();
    const before = await db.sagaRun.findUnique({ where: { id: runId } });
    const { count } = await db.sagaRun.updateMany({
      where: { id: runId, ...this.free(now) },
      data: { leaseOwner: token, leaseUntil: this.until(now.getTime()) },
    });
    if (count !== 1 || !before) return null;
    return { before, token, leaseUntil: this.until(now.getTime()) };
  }

  /** Lets the run go, if `token` still holds it. */
  async release(runId: string, token: string): Promise<boolean> {
    const { count } = await db.sagaRun.updateMany({ where: { id: runId, leaseOwner: token }, data: { leaseOwner: null, leaseUntil: null } });
    return count === 1;
  }

  /** Runs still leased under this owner's name: a previous life of this instance died moving them. */
  heldByPreviousLife() {
    return db.sagaRun.findMany({ where: { leaseOwner: { startsWith: `${this.owner}:` } } });
  }
}
