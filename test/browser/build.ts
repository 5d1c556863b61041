/** Builds the console (web/dist) when it is missing or older than its sources; shared by the browser tests and globalSetup. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
export const WEB_DIST = join(WEB, 'dist');
const GAZETTEER = fileURLToPath(new URL('../../data/gazetteer/', import.meta.url));

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

export function consoleBuildIsFresh(): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return false;
  const sources = [
    join(WEB, 'src'),
    join(WEB, 'public'),
    join(WEB, 'index.html'),
    join(WEB, 'vite.config.ts'),
    join(WEB, 'basemap.ts'),
    GAZETTEER,
  ];
  return Math.max(...sources.filter(existsSync).map(newest)) <= statSync(index).mtimeMs;
}

/** `vite build --config web/vite.config.ts`, in process, unless web/dist is up to date. */
export async function ensureConsoleBuilt(): Promise<string> {
  if (consoleBuildIsFresh()) return WEB_DIST;
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  return WEB_DIST;
}
