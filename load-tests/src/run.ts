import { parseCliOptions, USAGE, UsageError } from './cli-options';
import { renderMarkdown, writeReport } from './report';
import { runScenario } from './run-scenario';
import { listScenarios, loadScenario } from './scenario-loader';

export const EXIT_PASSED = 0;
export const EXIT_THRESHOLD_FAILED = 1;
export const EXIT_USAGE = 2;

interface Output {
  log: (text: string) => void;
  error: (text: string) => void;
}

const consoleOutput: Output = { log: (text) => console.log(text), error: (text) => console.error(text) };

/** The CLI as a function returning the exit status, so tests run it in-process. */
export async function main(argv: readonly string[], output: Output = consoleOutput): Promise<number> {
  let options;
  try {
    options = parseCliOptions(argv);
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    output.error(`${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (options.help) {
    output.log(USAGE);
    return EXIT_PASSED;
  }
  if (options.list || !options.scenario) {
    output.log((await listScenarios()).join('\n'));
    return EXIT_PASSED;
  }

  try {
    const scenario = await loadScenario(options.scenario);
    const report = await runScenario({
      scenario,
      mode: options.mode,
      thresholds: options.thresholds,
      command: ['pnpm load-test', ...argv].join(' '),
      ...(options.rate !== undefined ? { rate: options.rate } : {}),
      ...(options.durationS !== undefined ? { durationS: options.durationS } : {}),
      ...(options.connections !== undefined ? { connections: options.connections } : {}),
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
    });
    const written = await writeReport(report, options.outDir);
    output.log(renderMarkdown(report));
    output.log(`written: ${written.json}\n         ${written.markdown}`);
    return report.passed ? EXIT_PASSED : EXIT_THRESHOLD_FAILED;
  } catch (error: unknown) {
    output.error(error instanceof Error ? error.message : String(error));
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = EXIT_USAGE;
    },
  );
}
