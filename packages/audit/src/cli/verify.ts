// `pnpm audit:verify` → node packages/audit/dist/cli/verify.js [options]; see VERIFY_USAGE.
import { loadAuditCliConfig } from './config';
import { runVerifyCommand } from './verify-command';

runVerifyCommand(process.argv.slice(2), loadAuditCliConfig())
  .then(({ exitCode, output }) => {
    (exitCode === 2 ? process.stderr : process.stdout).write(`${output}\n`);
    process.exitCode = exitCode;
  })
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
