import { hashOf } from '@casebook/cache';
import type { DataQuery } from '../questions/canonical-query';
import { type Dimension, DIMENSIONS, WAREHOUSE_SCHEMA_VERSION } from '../warehouse/catalog';

/** What the caller may see. Applied to the query by the service and part of every key. */
export interface AccessScope {
  /** The one region the caller is limited to, or null for every region. */
  region: string | null;
}

/**
 * Q11.1, Q11.4: `qc:<schema version>:<dataset>:<sha256 of canonical data query + scope>`. Fixed length
 * whatever the number of filters; equal questions give equal keys because the data query is canonical
 * (sorted, de-duplicated, absolute time) and metrics are left out (every entry holds all additive sums,
 * so "revenue by region" and "units by region" share one entry). The schema version comes first, so a
 * schema change orphans every old key at once; the data version lives in the entry, not in the key.
 */
export function queryKey(data: DataQuery, scope: AccessScope): string {
  return `qc:${WAREHOUSE_SCHEMA_VERSION}:${data.dataset}:${hashOf({ q: data, scope })}`;
}

/**
 * Q20.3: tags that let an admin invalidate "everything about electronics" exactly. A dimension that is
 * filtered gets one tag per value; one that is not filtered gets `<dimension>:*`, because the entry then
 * covers every member, electronics included. Invalidating category electronics = tags
 * `category:electronics` and `category:*`; entries filtered to other categories are untouched.
 */
export function tagsOf(data: DataQuery): string[] {
  const tags = [`dataset:${data.dataset}`];
  for (const dimension of DIMENSIONS) {
    const values = data.filters[dimension as Dimension];
    if (values && values.length > 0) tags.push(...values.map((v) => `${dimension}:${v}`));
    else tags.push(`${dimension}:*`);
  }
  return tags;
}

/** The tags to invalidate so every entry that may contain a member's data goes. */
export function tagsForMember(dimension: Dimension, value: string): string[] {
  return [`${dimension}:${value}`, `${dimension}:*`];
}
