// A list page's place for keyset pagination (newest first): the last row's creation time and
// id, opaque to the browser. A page at any depth is one range read on a (shop, createdAt, id) index.

export interface KeysetPlace {
  createdAt: Date;
  id: string;
}

export const encodeCursor = (row: KeysetPlace) => Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");

/** The place a cursor names; null for one the app did not make. */
export function decodeCursor(cursor: string): KeysetPlace | null {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(at);
  return id && !Number.isNaN(createdAt.getTime()) ? { createdAt, id } : null;
}

/** Rows after the place, newest first: one range on the index (createdAt up to the place's), minus its own tie. */
export const afterPlace = (place: KeysetPlace | null) =>
  place ? { createdAt: { lte: place.createdAt }, NOT: { createdAt: place.createdAt, id: { gte: place.id } } } : {};

/** The cursor parameter as the list pages accept it. */
export const CURSOR_PATTERN = /^[\w-]{1,200}$/;
