/** `truce serve`: opens the instance (seeding the demo on first start) and serves the API on loopback. */
import type { Command } from 'commander';
import { ensureFirstAdmin } from '../access/accounts.ts';
import { buildServer } from '../api/server.ts';
import { isFreshInstance, seedDemo } from '../demo/seed.ts';
import { deliverDue } from '../exchange/webhooks.ts';
import { instanceOptions, openInstance } from '../instance.ts';
import { type InstanceFlags, withInstanceOptions } from './common.ts';

type ServeFlags = InstanceFlags & { port: string; host: string; demo: boolean };

export function serveCommand(program: Command): void {
  withInstanceOptions(
    program
      .command('serve')
      .description('serve the API (and console) on http://HOST:PORT')
      .option('--port <port>', 'port', process.env.TRUCE_PORT ?? '7300')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--no-demo', 'do not seed the demo data on first start'),
  ).action(async (flags: ServeFlags) => {
    const port = Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
    const options = instanceOptions(flags);
    const instance = await openInstance(options);
    if (flags.demo && (await isFreshInstance(instance.store.db))) {
      console.log('First start: seeding the demo (October 2025 Pakistan–Afghanistan incidents)…');
      const summary = await seedDemo(instance);
      console.log(`  ${summary.incidents} incidents, ${summary.claims} claims, ${summary.places} places`);
    }
    const admin = await ensureFirstAdmin(instance.store);
    const app = await buildServer({ instance, logger: false });
    // Outgoing webhooks: deliveries are queued by writes and sent (with retries) from here.
    const webhooks = setInterval(() => {
      deliverDue(instance.store.db).catch((error: unknown) =>
        console.error(`webhook delivery: ${(error as Error).message}`),
      );
    }, 2000);
    const shutdown = async () => {
      clearInterval(webhooks);
      await app.close();
      await instance.store.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    const address = await app.listen({ port, host: flags.host });
    const where =
      instance.store.engine === 'pglite' ? `embedded database in ${options.dataDir}` : 'PostgreSQL';
    console.log(`Truce is serving on ${address} (${where})`);
    console.log(
      `  API: ${address}/incidents   OpenAPI: ${address}/openapi.json   Ledger head: ${address}/ledger/head`,
    );
    console.log(`  Console: ${address}/console/`);
    if (admin) {
      console.log(`  Log in as "${admin.username}" with the one-time password ${admin.password}`);
      console.log('  (shown once; you will be asked to choose a new one). Add users with `truce user add`.');
    } else console.log('  Log in with your account; `truce user add` creates more.');
  });
}
