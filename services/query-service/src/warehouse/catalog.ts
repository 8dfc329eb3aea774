/**
 * The warehouse's dimension members. The generator writes exactly these into the dimension tables, and
 * the question parser recognises them, so both sides agree without a query at boot.
 */

export const DATASET = 'sales';

/**
 * Q11.4: the version of the warehouse schema as the query code sees it. It is the first part of every cache
 * key: a migration that changes what a query means bumps it, and every old entry becomes unreachable at
 * once (it ages out by TTL; nothing is scanned or deleted).
 */
export const WAREHOUSE_SCHEMA_VERSION = 1;

export const REGIONS = [
  { id: 1, code: 'EMEA', name: 'Europe, Middle East and Africa', weight: 35 },
  { id: 2, code: 'AMER', name: 'North America', weight: 40 },
  { id: 3, code: 'APAC', name: 'Asia Pacific', weight: 18 },
  { id: 4, code: 'LATAM', name: 'Latin America', weight: 7 },
] as const;

export const SEGMENTS = [
  { id: 1, code: 'enterprise', name: 'Enterprise', weight: 25 },
  { id: 2, code: 'smb', name: 'Small and medium business', weight: 35 },
  { id: 3, code: 'consumer', name: 'Consumer', weight: 40 },
] as const;

export const CATEGORIES = [
  { id: 1, code: 'electronics', name: 'Electronics' },
  { id: 2, code: 'furniture', name: 'Furniture' },
  { id: 3, code: 'clothing', name: 'Clothing' },
  { id: 4, code: 'groceries', name: 'Groceries' },
  { id: 5, code: 'toys', name: 'Toys' },
  { id: 6, code: 'sports', name: 'Sports' },
  { id: 7, code: 'books', name: 'Books' },
  { id: 8, code: 'beauty', name: 'Beauty' },
] as const;

export const PRODUCT_COUNT = 200;

export interface Product {
  id: number;
  sku: string;
  name: string;
  categoryId: number;
  /** Cents. */
  listPrice: number;
  /** Cents per unit. */
  unitCost: number;
}

export function skuOf(id: number): string {
  return `P${String(id).padStart(4, '0')}`;
}

/** Deterministic product catalog: the same 200 products, prices and costs on every run. */
export const PRODUCTS: readonly Product[] = Array.from({ length: PRODUCT_COUNT }, (_, i) => {
  const id = i + 1;
  const categoryId = (i % CATEGORIES.length) + 1;
  const listPrice = 500 + ((id * 7919) % 49_500);
  return {
    id,
    sku: skuOf(id),
    name: `${CATEGORIES[categoryId - 1]!.name} item ${id}`,
    categoryId,
    listPrice,
    unitCost: Math.round(listPrice * (0.45 + ((id * 31) % 30) / 100)),
  };
});

export const DIMENSIONS = ['category', 'product', 'region', 'segment'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Valid members of each dimension, by code. */
export const MEMBERS: Record<Dimension, ReadonlySet<string>> = {
  category: new Set(CATEGORIES.map((c) => c.code)),
  product: new Set(PRODUCTS.map((p) => p.sku)),
  region: new Set(REGIONS.map((r) => r.code)),
  segment: new Set(SEGMENTS.map((s) => s.code)),
};

/** code → id, for SQL parameters. */
export const IDS: Record<Dimension, ReadonlyMap<string, number>> = {
  category: new Map(CATEGORIES.map((c) => [c.code, c.id])),
  product: new Map(PRODUCTS.map((p) => [p.sku, p.id])),
  region: new Map(REGIONS.map((r) => [r.code, r.id])),
  segment: new Map(SEGMENTS.map((s) => [s.code, s.id])),
};
