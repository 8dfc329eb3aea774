import { parseArgs } from 'node:util';

/** `--name value` flags of the warehouse commands, with every bad one listed at once. */
export function warehouseArgs(
  argv: string[],
  defaults: { rows: number },
): { rows: number; from?: Date; to?: Date; seed?: number; hours: number } {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      seed: { type: 'string' },
      hours: { type: 'string' },
    },
    strict: true,
  });
  const problems: string[] = [];
  const int = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) problems.push(`--${name} must be a positive integer, got ${raw}`);
    return n;
  };
  const instant = (name: string, raw: string | undefined): Date | undefined => {
    if (raw === undefined) return undefined;
    const d = new Date(raw);
    if (Number.isNaN(d.getTime())) problems.push(`--${name} must be an ISO date, got ${raw}`);
    return d;
  };
  const out = {
    rows: int('rows', values.rows, defaults.rows),
    from: instant('from', values.from),
    to: instant('to', values.to),
    seed: values.seed === undefined ? undefined : int('seed', values.seed, 1),
    hours: int('hours', values.hours, 1),
  };
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return out;
}
