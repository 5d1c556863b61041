/**
 * The inbox in a real browser: Pakistan files a request, a monitor forwards it to Afghanistan, and
 * Afghanistan's delegate sees it in the inbox; a second request forwarded while the page is open
 * arrives over the event stream without a reload. Also: the situation page links to the situation
 * report for its period. Every page is checked for CSP violations, script errors and off-origin requests.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/access/accounts.ts';
import type { Viewer } from '../../src/access/viewer.ts';
import { fileSubmission, forwardSubmission, WITHHELD_LABEL } from '../../src/record/exchange.ts';
import { ensureConsoleBuilt } from './build.ts';
import { launchChromium, noBrowser, SHOTS, WatchedPages } from './harness.ts';
import { PASSWORD, type Scenario, startScenario } from './scenario.ts';

const FIRST = 'TTP training camp near Barmal';
// Looks like markup: must arrive as text.
const SECOND = 'Fighters crossing at <b>Angoor Adda</b> at night';

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(noBrowser)('the inbox in Chromium', () => {
  let scenario: Scenario;
  let browser: Browser;
  let pages: WatchedPages;
  let pk: Viewer;
  let monitorId: string;

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
    browser = await launchChromium();
    pages = new WatchedPages(browser, new URL(scenario.url).origin);
  }, 120_000);

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await scenario?.close();
  });

  it('hides the Inbox from the public', async () => {
    const page = await pages.open('public');
    await page.goto(at('/ledger'));
    await page.locator('.who-role').waitFor();
    expect(
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(),
    ).not.toContain('Inbox');
  });

  it('shows the AF delegate the forwarded request, then a new one live, without a reload', async () => {
    const page = await pages.open('af-delegate');
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
    const page = await pages.open('sitrep');
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
    expect(pages.problems).toEqual([]);
  });
});
