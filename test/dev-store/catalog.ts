// A deterministic seeded catalog: products, variants, inventory items, two locations and
// inventory levels by state. The same seed always yields the same store.

export const INVENTORY_STATES = ["available", "committed", "reserved", "damaged", "safety_stock", "quality_control", "incoming"] as const;
export type InventoryState = (typeof INVENTORY_STATES)[number];
/** States that make up on_hand (incoming is not on hand yet). */
export const ON_HAND_STATES: InventoryState[] = ["available", "committed", "reserved", "damaged", "safety_stock", "quality_control"];

export interface Location {
  id: number;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
}
export interface Product {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  createdAt: string;
  updatedAt: string;
  variantIds: number[];
}
export interface Variant {
  id: number;
  productId: number;
  title: string;
  sku: string;
  price: string;
  compareAtPrice: string | null;
  inventoryItemId: number;
  inventoryPolicy: "DENY" | "CONTINUE";
  requiresShipping: boolean;
  weightGrams: number;
}
export interface InventoryItem {
  id: number;
  variantId: number;
  sku: string;
  tracked: boolean;
  requiresShipping: boolean;
}
export interface InventoryLevel {
  inventoryItemId: number;
  locationId: number;
  quantities: Record<InventoryState, number>;
  createdAt: string;
  updatedAt: string;
}

export interface Catalog {
  locations: Location[];
  products: Product[];
  variants: Variant[];
  inventoryItems: InventoryItem[];
  levels: InventoryLevel[];
}

// Mulberry32: tiny deterministic PRNG so tests can rely on the seeded numbers.
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = [
  "Anchor",
  "Rope",
  "Lantern",
  "Compass",
  "Sail",
  "Cleat",
  "Buoy",
  "Hook",
  "Knot",
  "Oar",
  "Deck Brush",
  "Chart",
  "Flag",
  "Bell",
  "Net",
  "Keel Cap",
  "Tide Clock",
  "Sea Chest",
];
const ADJECTIVES = ["Classic", "Heavy", "Coastal", "Harbor", "Storm", "Mariner's", "Tidal", "Salt"];
const SIZES = ["Small", "Medium", "Large"];
const COLORS = ["Navy", "Sand", "Red"];

export function seedCatalog(seed = 1, productCount = 30): Catalog {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const at = new Date(Date.UTC(2026, 0, 15)).toISOString();
  const locations: Location[] = [
    { id: 1001, name: "Harbor Warehouse", isActive: true, fulfillsOnlineOrders: true },
    { id: 1002, name: "Dockside Store", isActive: true, fulfillsOnlineOrders: true },
  ];
  const catalog: Catalog = { locations, products: [], variants: [], inventoryItems: [], levels: [] };
  let variantId = 40001;
  for (let i = 0; i < productCount; i++) {
    const title = `${ADJECTIVES[i % ADJECTIVES.length]} ${NOUNS[i % NOUNS.length]}`;
    const productId = 8001 + i;
    const options = i % 3 === 0 ? SIZES : i % 3 === 1 ? COLORS : ["Default Title"];
    const product: Product = {
      id: productId,
      title,
      handle: `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${i + 1}`,
      vendor: "Holdfast Supply",
      productType: NOUNS[i % NOUNS.length],
      tags: i % 4 === 0 ? ["scarce"] : [],
      status: "ACTIVE",
      createdAt: at,
      updatedAt: at,
      variantIds: [],
    };
    for (const option of options) {
      const id = variantId++;
      const cents = int(5, 240) * 100 + (random() < 0.5 ? 99 : 0);
      const variant: Variant = {
        id,
        productId,
        title: option,
        sku: `HF-${productId}-${option.slice(0, 3).toUpperCase()}`,
        price: (cents / 100).toFixed(2),
        compareAtPrice: null,
        inventoryItemId: 50000 + (id - 40000),
        inventoryPolicy: "DENY",
        requiresShipping: true,
        weightGrams: int(100, 5000),
      };
      product.variantIds.push(id);
      catalog.variants.push(variant);
      catalog.inventoryItems.push({ id: variant.inventoryItemId, variantId: id, sku: variant.sku, tracked: true, requiresShipping: true });
      for (const location of locations) {
        // Every fourth product is scarce: a handful of units, so contention shows.
        const available = product.tags.includes("scarce") ? int(0, 3) : int(5, 60);
        catalog.levels.push({
          inventoryItemId: variant.inventoryItemId,
          locationId: location.id,
          quantities: { available, committed: 0, reserved: 0, damaged: 0, safety_stock: 0, quality_control: 0, incoming: 0 },
          createdAt: at,
          updatedAt: at,
        });
      }
    }
    catalog.products.push(product);
  }
  return catalog;
}

export function onHand(level: InventoryLevel): number {
  return ON_HAND_STATES.reduce((sum, s) => sum + level.quantities[s], 0);
}
