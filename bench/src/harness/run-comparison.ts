import { describeEnvironment } from './environment';
import type { LoadGenerator } from './generator';
import type { Pinning } from './pinning';
import { runContenders } from './runner';
import type { BenchOptions, Comparison, ComparisonResult } from './types';

export interface RunComparisonInput {
  comparison: Comparison;
  options: BenchOptions;
  generator: LoadGenerator;
  pinning: Pinning;
  command: string;
  log: (line: string) => void;
}

export async function runComparison(input: RunComparisonInput): Promise<ComparisonResult> {
  const { comparison, options, pinning } = input;
  const startedAt = new Date().toISOString();
  // Load average before any load, so a busy machine is visible in the result.
  const environment = describeEnvironment(pinning);
  const contenders = await runContenders(comparison, options, {
    generator: input.generator,
    pinning,
    log: input.log,
  });
  return {
    comparison: comparison.name,
    title: comparison.title,
    description: comparison.description,
    reference: comparison.reference,
    command: input.command,
    startedAt,
    options,
    environment,
    contenders,
  };
}
