/**
 * The inbox in a real browser: Pakistan files a request, a monitor forwards it to Afghanistan, and
 * Afghanistan's delegate sees it in the inbox; a second request forwarded while the page is open
 * arrives over the event stream without a reload. Also: the situation page links to the situation
 * report for its period. Every page is checked for CSP violations, script errors and off-origin requests.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/access/accounts.ts';
import type { Viewer } from '../../src/access/viewer.ts';
import { fileSubmission, forwardSubmission, WITHHELD_LABEL } from '../../src/record/exchange.ts';
import { ensureConsoleBuilt } from './build.ts';
import { PASSWORD, type Scenario, startScenario } from './scenario.ts';

const CHROMIUM = process.env.TRUCE_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const FIRST = 'TTP training camp near Barmal';
// Looks like markup: must arrive as text.
const SECOND = 'Fighters crossing at <b>Angoor Adda</b> at night';

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const skip = !existsSync(CHROMIUM) && !process.env.TRUCE_REQUIRE_BROWSER;

describe.skipIf(skip)('the inbox in Chromium', () => {
  let scenario: Scenario;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  let pk: Viewer;
  let monitorId: string;

  async function openPage(label: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    contexts.push(context);
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`),
      );
    });
    const origin = new URL(scenario.url).origin;
    const p = await context.newPage();
    p.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|CSP violation|Refused to/i.test(text)) problems.push(`${label}: ${text}`);
      else if (message.type() === 'error' && !/Failed to load resource/.test(text))
        problems.push(`${label}: ${text}`);
    });
    p.on('pageerror', (error) => problems.push(`${label}: page error ${error.message}`));
    p.on('dialog', (dialog) => {
      problems.push(`${label}: a dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
    p.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin)
        problems.push(`${label}: request left the origin: ${request.url()}`);
    });
    return p;
  }
  const at = (path: string) => `${scenario.url}/console${path}`;

  /** Pakistan files a request Afghanistan may see; a monitor forwards it (source withheld). */
  async function forwardToAf(title: string, deadline: string) {
    const store = scenario.instance.store;
    const submission = await fileSubmission(store, pk.userId!, {
      viewer: pk,
      submission: {
        kind: 'allegation_and_request',
        subject: 'militant_presence',
        title,
        body: 'Informant reports fighters gathering east of the bazaar.',
        addressedTo: 'AF',
        requestedAction: 'Dismantle the camp and detain its commanders',
        shareableWith: 'AF',
      },
    });
    return forwardSubmission(store, monitorId, { submissionId: submission.id, deadline });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const webRoot = await ensureConsoleBuilt();
    scenario = await startScenario({ webRoot });
    const store = scenario.instance.store;
    const { user: pkUser } = await createAccount(
      store,
      'system',
      { username: 'pk-filer', role: 'delegate', partyId: 'PK' },
      PASSWORD,
    );
    pk = { role: 'delegate', userId: pkUser.id, partyId: 'PK' };
    const { user: monitor } = await createAccount(
      store,
      'system',
      { username: 'inbox-monitor', role: 'monitor' },
      PASSWORD,
    );
    monitorId = monitor.id;
    await createAccount(
      store,
      'system',
      { username: 'af-delegate', role: 'delegate', partyId: 'AF' },
      PASSWORD,
    );
    // Already past its deadline: shows as overdue.
    await forwardToAf(FIRST, new Date(Date.now() - 2 * 86_400_000).toISOString());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await scenario?.close();
  });

  it('hides the Inbox from the public', async () => {
    const page = await openPage('public');
    await page.goto(at('/ledger'));
    await page.locator('.who-role').waitFor();
    expect(
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(),
    ).not.toContain('Inbox');
  });

  it('shows the AF delegate the forwarded request, then a new one live, without a reload', async () => {
    const page = await openPage('af-delegate');
    await page.goto(at('/login'));
    await page.fill('input[name=username]', 'af-delegate');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForURL(at('/'));
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Inbox' }).click();
    await page.waitForURL(at('/inbox'));

    const toAnswer = page.getByTestId('inbox-to-answer');
    await expect.poll(() => page.getByTestId('inbox-connection').getAttribute('data-state')).toBe('live');
    await expect.poll(() => toAnswer.locator('tbody tr').count()).toBe(1);
    const first = toAnswer.locator('tbody tr').first();
    expect(await first.locator('td').first().textContent()).toContain(FIRST);
    expect(await first.textContent()).toContain(WITHHELD_LABEL);
    expect(await first.locator('.flag').textContent()).toBe('overdue');
    expect(await page.getByTestId('inbox-overdue').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('inbox-total').textContent()).toBe('1 item awaiting action');

    // Mark the document: a reload would lose the mark.
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await forwardToAf(SECOND, new Date(Date.now() + 7 * 86_400_000).toISOString());
    await expect.poll(() => toAnswer.locator('tbody tr').count(), { timeout: 5_000 }).toBe(2);
    // Newest first; the markup-looking title is text, not an element.
    const second = toAnswer.locator('tbody tr').first();
    expect(await second.locator('td').first().textContent()).toContain(SECOND);
    expect(await second.locator('td b').count()).toBe(0);
    expect(await second.locator('.flag').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    expect(await page.getByTestId('inbox-connection').textContent()).toBe('live');
    expect(await page.getByTestId('inbox-total').textContent()).toBe('2 items awaiting action');
    await page.screenshot({ path: `${SHOTS}inbox.png`, fullPage: true });
  });

  it('links the situation page to the situation report for its period, in a new tab', async () => {
    const page = await openPage('sitrep');
    await page.goto(at('/'));
    const link = page.getByTestId('sitrep-link');
    const today = new Date().toISOString().slice(0, 10);
    expect(await link.getAttribute('href')).toBe(
      `/reports/situation?from=${addDays(today, -30)}&to=${today}`,
    );
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener');

    await page.goto(at('/?from=2025-10-01&to=2025-10-31'));
    expect(await link.getAttribute('href')).toBe('/reports/situation?from=2025-10-01&to=2025-10-31');
    const [report] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await report.waitForLoadState();
    expect(report.url()).toBe(`${scenario.url}/reports/situation?from=2025-10-01&to=2025-10-31`);
    expect(await report.locator('body').textContent()).toMatch(/\S/);
  });

  it('met no CSP violation, script error or off-origin request', () => {
    expect(problems).toEqual([]);
  });
});
