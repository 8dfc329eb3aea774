import { queryRows, sql } from '@casebook/platform';
import type { AuditDb } from '../db/db';

export interface AnomalyQuery {
  /** The window looked at, in hours, ending at `now` (rounded up to the hour). */
  windowHours: number;
  /** How far back the baseline goes, in days, before the window. */
  baselineDays: number;
  /** Flag a principal whose volume in the window exceeds `factor` × its own average per window. */
  factor: number;
  /** Ignore principals with fewer events than this in the window (noise). */
  minEvents: number;
  /**
   * Floor for the baseline per window, so a principal with no history is compared with this instead of
   * zero (a brand-new account doing 5,000 queries in an hour is still flagged).
   */
  baselineFloor?: number;
  limit?: number;
  now?: Date;
}

export interface Anomaly {
  actorPseudonym: string;
  actorType: string;
  role: string | null;
  /** Events in the window. */
  events: number;
  /** Denied requests in the window (probing shows up here first). */
  denied: number;
  /** Average events per window over the baseline period. */
  baseline: number;
  /** events / max(baseline, floor). */
  ratio: number;
}

const HOUR_MS = 3_600_000;

// Q6.3: each principal against its own history, from the hourly rollup the writer keeps in step with
// the chain, so the report reads (principals × hours) rows instead of scanning raw events.
const anomalies = (p: {
  windowStart: string;
  windowEnd: string;
  baselineStart: string;
  windows: number;
  floor: number;
  minEvents: number;
  factor: number;
  limit: number;
}) => sql`
  WITH recent AS (
    SELECT actor_pseudonym, max(actor_type) AS actor_type, max(role) AS role,
           sum(events)::bigint AS events, sum(denied)::bigint AS denied
      FROM audit_actor_hourly
     WHERE hour >= ${p.windowStart} AND hour < ${p.windowEnd}
     GROUP BY actor_pseudonym
  ), baseline AS (
    SELECT actor_pseudonym, sum(events)::float8 / ${p.windows} AS per_window
      FROM audit_actor_hourly
     WHERE hour >= ${p.baselineStart} AND hour < ${p.windowStart}
     GROUP BY actor_pseudonym
  )
  SELECT r.actor_pseudonym, r.actor_type, r.role, r.events::text AS events, r.denied::text AS denied,
         coalesce(b.per_window, 0) AS baseline,
         r.events / greatest(coalesce(b.per_window, 0), ${p.floor}) AS ratio
    FROM recent r
    LEFT JOIN baseline b USING (actor_pseudonym)
   WHERE r.events >= ${p.minEvents}
     AND r.events > ${p.factor} * greatest(coalesce(b.per_window, 0), ${p.floor})
   ORDER BY ratio DESC, r.actor_pseudonym
   LIMIT ${p.limit}`;

export async function findAnomalies(db: AuditDb, query: AnomalyQuery): Promise<Anomaly[]> {
  const now = query.now ?? new Date();
  const windowEnd = Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS;
  const windowStart = windowEnd - query.windowHours * HOUR_MS;
  const baselineStart = windowStart - query.baselineDays * 24 * HOUR_MS;
  const windows = (query.baselineDays * 24) / query.windowHours;
  const rows = await queryRows<{
    actor_pseudonym: string;
    actor_type: string;
    role: string | null;
    events: string;
    denied: string;
    baseline: number;
    ratio: number;
  }>(
    db,
    anomalies({
      windowStart: new Date(windowStart).toISOString(),
      windowEnd: new Date(windowEnd).toISOString(),
      baselineStart: new Date(baselineStart).toISOString(),
      windows,
      floor: query.baselineFloor ?? 1,
      minEvents: query.minEvents,
      factor: query.factor,
      limit: query.limit ?? 100,
    }),
  );
  return rows.map((row) => ({
    actorPseudonym: row.actor_pseudonym,
    actorType: row.actor_type,
    role: row.role,
    events: Number(row.events),
    denied: Number(row.denied),
    baseline: Math.round(Number(row.baseline) * 1000) / 1000,
    ratio: Math.round(Number(row.ratio) * 10) / 10,
  }));
}
