import { Inject, Injectable } from '@nestjs/common';
import { type CacheResult, type EntryOptions, hashOf, type LoaderContext, TieredCache } from '@casebook/cache';
import { bestEffort, CONFIG, ProblemError } from '@casebook/platform';
import { AdmissionLearner, AdmissionModel, featuresOf } from '../admission/admission';
import type { QueryConfig } from '../config';
import { type CanonicalQuery, type DataQuery, dataQueryOf } from '../questions/canonical-query';
import type { AggregateRow } from '../warehouse/aggregate-sql';
import { DataVersions } from '../warehouse/data-versions';
import { WarehouseClient } from '../warehouse/warehouse.client';
import { QueryFrequency } from '../warming/query-frequency';
import { cutByValue, mergeRows, partFor, queryForMissing, sortRows, splitDimension } from './partial-hit';
import { QueryErrorCode } from './query-errors';
import { type AccessScope, queryKey, tagsOf } from './query-key';
import { cursorAfter, cursorOf, type PageRequest, pageOf } from './result-shape';

/** What is cached per key: the whole label-ordered result, or a note that it is paged from the warehouse. */
export type CachedAnswer = { rows: AggregateRow[] } | { large: true };

export interface PartialInfo {
  cached: number;
  total: number;
  warehouseQueries: number;
}

export interface Answer {
  key: string;
  rows: AggregateRow[];
  nextCursor: string | null;
  cache: CacheResult<unknown>;
  partial?: PartialInfo;
  /** The dataset version the answer reflects. */
  dataVersion: number | null;
  /** The cache is switched off (QUERY_CACHE_ENABLED=false). */
  bypass?: boolean;
}

/**
 * Answers data queries through the cache: the key from the canonical data query and the caller's scope,
 * freshness from the data versions of the range the query covers, a loader that assembles partial hits
 * and asks the warehouse once for what is missing, and paging for results too large to cache whole.
 */
@Injectable()
export class QueriesService {
  readonly admission: AdmissionLearner;

  constructor(
    @Inject(TieredCache) private readonly cache: TieredCache,
    private readonly warehouse: WarehouseClient,
    private readonly versions: DataVersions,
    private readonly frequency: QueryFrequency,
    @Inject(CONFIG) private readonly config: QueryConfig,
  ) {
    this.admission = new AdmissionLearner(new AdmissionModel(), config.QUERY_CACHE_TTL_MS);
  }

  private entryOptions(data: DataQuery, store: boolean): EntryOptions {
    const range = data.time ? { from: Date.parse(data.time.from), to: Date.parse(data.time.to) } : null;
    return {
      ttlMs: this.config.QUERY_CACHE_TTL_MS,
      graceMs: this.config.QUERY_CACHE_GRACE_MS,
      staleIfErrorMs: this.config.QUERY_CACHE_STALE_IF_ERROR_MS,
      tags: tagsOf(data),
      // Q12.1: fresh only if computed after the last change that touched this query's range.
      dataVersion: this.versions.requiredVersion(data.dataset, range),
      stampVersion: this.versions.versionOf(data.dataset),
      store,
    };
  }

  async answer(query: CanonicalQuery, scope: AccessScope, page: PageRequest): Promise<Answer> {
    const data = dataQueryOf(query);
    const key = queryKey(data, scope);
    if (!this.config.QUERY_CACHE_ENABLED) return this.bypass(query, data, scope, key, page);
    const now = Date.now();
    const store = this.admission.observe(key, featuresOf(data, scope.region !== null, now), now);
    this.frequency.record(data.dataset, key, now);
    const options = this.entryOptions(data, store);
    const result = await this.cache.getOrLoad<CachedAnswer>(key, (ctx) => this.compute(data, scope, ctx), options);
    if (result.outcome === 'miss' && result.source === 'loader') {
      this.frequency.describe(data.dataset, key, { data, scope }, result.cost);
    }
    const partial = result.notes.partial as PartialInfo | undefined;
    if ('large' in result.value) {
      if (query.top) {
        throw new ProblemError({
          code: QueryErrorCode.NotRankable,
          detail: 'The result has too many groups to rank; add filters or a shorter period.',
        });
      }
      return this.largePage(data, key, page, result, options);
    }
    const labelCount = data.groupBy.length;
    if (query.top) {
      return {
        key,
        rows: result.value.rows,
        nextCursor: null,
        cache: result,
        partial,
        dataVersion: result.dataVersion,
      };
    }
    const sliced = pageOf(result.value.rows, labelCount, page);
    return { key, ...sliced, cache: result, partial, dataVersion: result.dataVersion };
  }

  /** The kill switch: straight to the warehouse, nothing read or stored (Cache-Status `fwd=bypass`). */
  private async bypass(
    query: CanonicalQuery,
    data: DataQuery,
    scope: AccessScope,
    key: string,
    page: PageRequest,
  ): Promise<Answer> {
    const value = await this.compute(data, scope, { asOf: Date.now(), note: () => undefined });
    if ('large' in value) {
      throw new ProblemError({ code: QueryErrorCode.NotRankable, detail: 'The result is too large.' });
    }
    const now = Date.now();
    const cache: CacheResult<unknown> = {
      value,
      outcome: 'miss',
      source: 'loader',
      collapsed: false,
      stored: false,
      ageMs: 0,
      ttlMs: 0,
      dataVersion: this.versions.versionOf(data.dataset),
      createdAt: now,
      cost: 0,
      notes: {},
    };
    const rows = query.top ? value.rows : pageOf(value.rows, data.groupBy.length, page);
    return Array.isArray(rows)
      ? { key, rows, nextCursor: null, cache, dataVersion: cache.dataVersion, bypass: true }
      : { key, ...rows, cache, dataVersion: cache.dataVersion, bypass: true };
  }

  /** Recomputes one remembered question if its entry is not fresh (the warming job, Q15). */
  async warm(data: DataQuery, scope: AccessScope): Promise<CacheResult<CachedAnswer>> {
    const key = queryKey(data, scope);
    return this.cache.getOrLoad<CachedAnswer>(
      key,
      (ctx) => this.compute(data, scope, ctx),
      this.entryOptions(data, true),
    );
  }

  private async compute(data: DataQuery, scope: AccessScope, ctx: LoaderContext): Promise<CachedAnswer> {
    const dimension = this.config.QUERY_CACHE_ENABLED ? splitDimension(data, this.config.QUERY_SPLIT_MAX_VALUES) : null;
    const key = queryKey(data, scope);
    if (!dimension) {
      const limit = this.config.QUERY_MAX_CACHED_ROWS;
      const answer = await this.warehouse.aggregate(data, key, { after: null, limit: limit + 1 });
      ctx.note({ partial: { cached: 0, total: 1, warehouseQueries: 1 } satisfies PartialInfo });
      if (answer.rows.length > limit) return { large: true };
      return { rows: sortRows(answer.rows, data.groupBy.length) };
    }

    const values = data.filters[dimension]!;
    const parts = values.map((value) => partFor(data, dimension, value));
    const partKeys = parts.map((part) => queryKey(part, scope));
    const partOptions = (part: DataQuery) => this.entryOptions(part, true);
    const cached = await this.cache.peekMany<CachedAnswer>(partKeys, { dataVersion: partOptions(data).dataVersion });
    const results = new Map<string, AggregateRow[]>();
    values.forEach((value, i) => {
      const hit = cached[i];
      if (hit && 'rows' in hit) results.set(value, hit.rows);
    });
    const missing = values.filter((value) => !results.has(value));
    if (missing.length > 0) {
      const fetch = queryForMissing(data, dimension, missing);
      const limit = this.config.QUERY_MAX_CACHED_ROWS;
      const answer = await this.warehouse.aggregate(fetch, key, { after: null, limit: limit + 1 });
      if (answer.rows.length > limit) return { large: true };
      const cut = cutByValue(data, dimension, fetch.groupBy, answer.rows, missing);
      const share = answer.ms / missing.length;
      await Promise.all(
        missing.map((value, i) => {
          const rows = sortRows(cut.get(value) ?? [], data.groupBy.length);
          results.set(value, rows);
          const part = parts[values.indexOf(value)]!;
          return bestEffort(
            this.cache.set<CachedAnswer>(
              partKeys[values.indexOf(value)]!,
              { rows },
              { ...partOptions(part), asOf: ctx.asOf, cost: share },
            ),
            'query.part.fill',
          ).then(() => i);
        }),
      );
    }
    ctx.note({
      partial: {
        cached: values.length - missing.length,
        total: values.length,
        warehouseQueries: missing.length > 0 ? 1 : 0,
      } satisfies PartialInfo,
    });
    return {
      rows: mergeRows(
        values.map((value) => results.get(value)!),
        data.groupBy.length,
      ),
    };
  }

  /**
   * Q16.2: a result too large to cache whole is paged at the warehouse with a keyset on the group labels,
   * and each page is its own entry (same tags and versions), so the first pages — the ones people read —
   * are cached like any answer.
   */
  private async largePage(
    data: DataQuery,
    key: string,
    page: PageRequest,
    parent: CacheResult<CachedAnswer>,
    options: EntryOptions,
  ): Promise<Answer> {
    const after = cursorAfter(page.cursor);
    const pageKey = `${key}:page:${hashOf({ after, limit: page.limit })}`;
    const result = await this.cache.getOrLoad<CachedAnswer>(
      pageKey,
      async () => {
        const answer = await this.warehouse.aggregate(data, key, { after, limit: page.limit + 1 });
        return { rows: answer.rows };
      },
      options,
    );
    const rows = 'rows' in result.value ? result.value.rows : [];
    const more = rows.length > page.limit;
    const slice = rows.slice(0, page.limit);
    const last = slice[slice.length - 1];
    return {
      key,
      rows: slice,
      nextCursor: more && last ? cursorOf(last.slice(0, data.groupBy.length) as string[]) : null,
      cache: result.outcome === 'hit' ? result : { ...result, collapsed: result.collapsed || parent.collapsed },
      dataVersion: result.dataVersion,
    };
  }
}
