// Reading database errors through Prisma's wrapping, the same way everywhere.

/** A unique constraint refused the write: Prisma's P2002, or PostgreSQL's 23505 from the pg driver itself (the hot paths). */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: string }).code : undefined;
  return code === "P2002" || code === "23505";
}

/** The database's own message under Prisma's wrapping (driver adapters keep it in meta). */
export function databaseMessage(error: unknown): string {
  const e = error as { message?: string; meta?: { driverAdapterError?: { cause?: { originalMessage?: string; message?: string } } } };
  const cause = e?.meta?.driverAdapterError?.cause;
  return [e?.message, cause?.originalMessage, cause?.message].filter(Boolean).join(" ");
}
