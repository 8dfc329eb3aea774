// node packages/audit/dist/cli/archive.js --out DIR [--retain-months 12] [--dry-run]; see ARCHIVE_USAGE.
import { loadAuditCliConfig } from './config';
import { runArchiveCommand } from './archive-command';

runArchiveCommand(process.argv.slice(2), loadAuditCliConfig())
  .then(({ exitCode, output }) => {
    (exitCode === 0 ? process.stdout : process.stderr).write(`${output}\n`);
    process.exitCode = exitCode;
  })
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
