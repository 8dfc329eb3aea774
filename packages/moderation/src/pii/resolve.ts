import type { PiiHit } from './hit';

function better(a: PiiHit, b: PiiHit): number {
  return b.score - a.score || b.to - b.from - (a.to - a.from) || a.from - b.from;
}

/**
 * Q25.1: overlapping hits keep the higher score, then the longer span. Hits are cut into clusters
 * of transitively overlapping spans and each cluster is settled greedily, so the cost stays
 * O(k log k) unless one cluster is huge (detectors do not emit overlapping hits of their own, so a
 * cluster holds at most a few hits per detector).
 */
export function resolveOverlaps(hits: PiiHit[]): PiiHit[] {
  if (hits.length < 2) return hits;
  hits.sort((a, b) => a.from - b.from || b.to - a.to);
  const result: PiiHit[] = [];
  let cluster: PiiHit[] = [];
  let clusterTo = -1;
  const flush = (): void => {
    if (cluster.length === 1) result.push(cluster[0]!);
    else if (cluster.length > 1) {
      const kept: PiiHit[] = [];
      for (const hit of cluster.sort(better)) {
        if (!kept.some((k) => hit.from < k.to && k.from < hit.to)) kept.push(hit);
      }
      kept.sort((a, b) => a.from - b.from);
      result.push(...kept);
    }
    cluster = [];
  };
  for (const hit of hits) {
    if (hit.from >= clusterTo) {
      flush();
      clusterTo = hit.to;
    } else clusterTo = Math.max(clusterTo, hit.to);
    cluster.push(hit);
  }
  flush();
  return result;
}
