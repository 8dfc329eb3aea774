import { bestEffort } from '@casebook/platform';
import type { CacheMetrics } from './cache-metrics';
import type { CachedEntry } from './memory-tier';
import type { PeerSignals } from './peer-signals';
import type { RedisTier } from './redis-tier';
import type { EntryOptions } from './types';

/** What the protocol needs from the engine. */
export interface LeaseHost {
  l2: RedisTier | null;
  clock: () => number;
  stats: CacheMetrics;
  signals: PeerSignals;
  leaseTtlMs: number;
  leaseWaitMs: number;
  isClosed(): boolean;
  /** An entry in L2 that satisfies this caller (see TieredCache.freshFromL2), or null. */
  freshFromL2<T>(
    key: string,
    options: EntryOptions,
    seenCreatedAt: number | null,
    mode: 'foreground' | 'background',
  ): Promise<CachedEntry<T> | null>;
}

/** Run the loader (with the lease token when one is held), take another instance's value, or do nothing. */
export type LoadPlan<T> =
  | { kind: 'load'; asOf: number; token: string | null; writeL2: boolean }
  | { kind: 'peer'; entry: CachedEntry<T> }
  | { kind: 'skip' };

/**
 * Q13.3: one load per key across the fleet. Whoever gets the lease (`SET NX PX` + token) loads; the
 * others wait for its value (woken by the bus, polling as a fallback), re-checking after taking a
 * lease in case the value landed in between. A background refresh that finds the lease held does
 * nothing and, for a while, does not ask again. Without Redis there is no lease: single-flight per
 * process is all that is left.
 */
export class LeaseProtocol {
  /** Keys another instance is refreshing (its lease was seen), until when: no lease attempt per stale hit. */
  private readonly peerRefreshing = new Map<string, number>();

  constructor(private readonly host: LeaseHost) {}

  peerIsRefreshing(key: string): boolean {
    const until = this.peerRefreshing.get(key);
    if (until === undefined) return false;
    if (until > this.host.clock()) return true;
    this.peerRefreshing.delete(key);
    return false;
  }

  forgetPeer(key: string): void {
    this.peerRefreshing.delete(key);
  }

  async plan<T>(
    key: string,
    options: EntryOptions,
    mode: 'foreground' | 'background',
    seenCreatedAt: number | null,
  ): Promise<LoadPlan<T>> {
    const { l2, clock, stats } = this.host;
    const deadline = clock() + this.host.leaseWaitMs;
    const local: LoadPlan<T> = { kind: 'load', asOf: clock(), token: null, writeL2: false };
    for (;;) {
      if (!l2 || options.store === false || !l2.usable) return local;
      let lease;
      try {
        lease = await l2.acquireLease(key, this.host.leaseTtlMs);
      } catch {
        return { ...local, asOf: clock() };
      }
      if (lease.acquired) {
        // Double-check: another instance may have filled and released between our read and our lease.
        const current = await this.host.freshFromL2<T>(key, options, seenCreatedAt, mode);
        if (current) {
          void bestEffort(l2.releaseLease(key, lease.token), 'cache.lease.release');
          stats.collapsed('cluster');
          return { kind: 'peer', entry: current };
        }
        return { kind: 'load', asOf: lease.now, token: lease.token, writeL2: true };
      }
      if (mode === 'background') {
        if (this.peerRefreshing.size > 10_000) this.peerRefreshing.clear();
        this.peerRefreshing.set(key, clock() + Math.min(Math.max(lease.pttl, 0), 1_000));
        return { kind: 'skip' };
      }
      const until = Math.min(deadline, clock() + Math.max(lease.pttl, 0) + 50);
      const peer = await this.waitForPeer<T>(key, options, until, seenCreatedAt);
      if (peer) {
        stats.collapsed('cluster');
        return { kind: 'peer', entry: peer };
      }
      if (clock() >= deadline) {
        // The holder is stuck well past its lease: load anyway rather than fail the caller.
        return { kind: 'load', asOf: lease.now, token: null, writeL2: true };
      }
    }
  }

  /** Waits for the lease holder's value: woken by its bus message, polling as a fallback. */
  private async waitForPeer<T>(
    key: string,
    options: EntryOptions,
    until: number,
    seenCreatedAt: number | null,
  ): Promise<CachedEntry<T> | null> {
    let pollMs = 20;
    while (this.host.clock() < until && !this.host.isClosed()) {
      await this.host.signals.waitFor(key, Math.min(pollMs, Math.max(1, until - this.host.clock())));
      const fresh = await this.host.freshFromL2<T>(key, options, seenCreatedAt, 'foreground');
      if (fresh) return fresh;
      try {
        if (!(await this.host.l2!.leaseHeld(key))) return null;
      } catch {
        return null;
      }
      pollMs = Math.min(pollMs * 2, 250);
    }
    return null;
  }
}
