/** vitest globalSetup: build the console once before any test file needs it. */
import { ensureConsoleBuilt } from './build.ts';

export default async function setup(): Promise<void> {
  await ensureConsoleBuilt();
}
