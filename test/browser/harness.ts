/**
 * What every browser test needs: Debian's Chromium (skipped where there is none, unless a CI says
 * the browser is required, then launching fails loudly), and pages that record every CSP
 * violation, script error, console error, dialog and request leaving the server's origin.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.TRUCE_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
export const noBrowser = !existsSync(CHROMIUM) && !process.env.TRUCE_REQUIRE_BROWSER;

/** Chromium headless, as the project runs it everywhere; creates the screenshot folder too. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Pages, each in a context of its own, watched for problems; `problems` should end empty. */
export class WatchedPages {
  readonly problems: string[] = [];
  readonly #contexts: BrowserContext[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly origin: string,
  ) {}

  async open(label: string): Promise<Page> {
    const problems = this.problems;
    const context = await this.browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'en-GB',
    });
    this.#contexts.push(context);
    // Runs outside the page's CSP: reports any violation the page itself would only see as an event.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`),
      );
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|CSP violation|Refused to/i.test(text)) problems.push(`${label}: ${text}`);
      // A 404 the page handles (a record not shared with this viewer) is logged by Chromium, not an error of ours.
      else if (message.type() === 'error' && !/Failed to load resource/.test(text))
        problems.push(`${label}: ${text}`);
    });
    page.on('pageerror', (error) => problems.push(`${label}: page error ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`${label}: a dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== this.origin)
        problems.push(`${label}: request left the origin: ${request.url()}`);
    });
    return page;
  }

  async close(): Promise<void> {
    for (const context of this.#contexts) await context.close();
  }
}
