/** The `truce` command: one program, one file per command. */
import { Command } from 'commander';
import { backupCommands } from './backup.ts';
import { claimsCommand } from './claims.ts';
import { prepareInstanceDir, reportError } from './common.ts';
import { crossingsCommand } from './crossings.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { incidentsCommand } from './incidents.ts';
import { ingestCommand } from './ingest.ts';
import { initCommand } from './init.ts';
import { ledgerCommand } from './ledger.ts';
import { queueCommand } from './queue.ts';
import { reportCommand } from './report.ts';
import { serveCommand } from './serve.ts';
import { userCommand } from './user.ts';
import { violationsCommand } from './violations.ts';
import { warningCommand } from './warning.ts';

const program = new Command('truce')
  .description('Truce — the system of record of a ceasefire monitoring and verification mechanism')
  .version('0.1.0')
  .showHelpAfterError()
  // Every command with --data checks its data directory first (serve, init, import, ingest, …).
  .hook('preAction', (_program, command) => {
    if (command.options.some((option) => option.long === '--data')) prepareInstanceDir(command.opts());
  });

serveCommand(program);
initCommand(program);
incidentsCommand(program);
claimsCommand(program);
ingestCommand(program);
ledgerCommand(program);
exportCommand(program);
importCommand(program);
userCommand(program);
queueCommand(program);
violationsCommand(program);
crossingsCommand(program);
backupCommands(program);
warningCommand(program);
reportCommand(program);

program.parseAsync(process.argv).catch(reportError);
