/**
 * The console in a real browser (Debian's Chromium through playwright-core) against the real server:
 * log in, filter the map, open an incident, verify it and find the change on the ledger; a delegate
 * cannot reach a RED incident by URL; text that looks like HTML stays text. Every page is checked
 * for CSP violations, script errors and requests leaving the origin, and saved under test/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from './build.ts';
import { launchChromium, noBrowser, SHOTS, WatchedPages } from './harness.ts';
import { PASHTO, PASSWORD, type Scenario, startScenario, XSS_TITLE } from './scenario.ts';

const CLASH = 'Afghan Taliban forces attack Pakistani border posts';

describe.skipIf(noBrowser)('the console in Chromium', () => {
  let scenario: Scenario;
  let browser: Browser;
  let page: Page;
  let pages: WatchedPages;

  const context = () => page.context();
  /** The basemap is drawn (MapLibre went idle) and incidents are on it. */
  const mapDrawn = async (p: Page) => {
    await p.locator('.marker').first().waitFor();
    await p.locator('[data-testid=map][data-idle=true]').waitFor({ timeout: 15_000 });
  };
  const shot = (p: Page, name: string, fullPage = false) =>
    p.screenshot({ path: `${SHOTS}${name}.png`, fullPage });
  const at = (path: string) => `${scenario.url}/console${path}`;

  beforeAll(async () => {
    const webRoot = await ensureConsoleBuilt();
    scenario = await startScenario({ synthetic: 60, webRoot });
    browser = await launchChromium();
    pages = new WatchedPages(browser, new URL(scenario.url).origin);
    page = await pages.open('monitor');
  }, 120_000);

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await scenario?.close();
  });

  it('serves the page with the strict CSP, and shows the public the situation', async () => {
    const response = await page.goto(at('/'));
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.marker').first().waitFor();
    await expect
      .poll(() => page.locator('[data-testid=map-total]').textContent())
      .toMatch(/\d+ incidents on the map/);
    expect(await page.locator('.who-role').textContent()).toBe('Public view');
    await mapDrawn(page);
    await shot(page, 'situation-public');
  });

  it('logs in as a monitor', async () => {
    await page.goto(at('/login'));
    await page.fill('input[name=username]', 'mona');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForURL(at('/'));
    expect(await page.getByTestId('who').textContent()).toBe('mona');
    await page.locator('.marker').first().waitFor();
  });

  it('filters the map, the list and the timeline, and the URL holds the view', async () => {
    const total = page.getByTestId('map-total');
    await expect.poll(() => total.textContent()).toMatch(/incidents on the map/);
    const before = await total.textContent();
    await page.getByRole('checkbox', { name: 'Armed clash' }).check();
    await page.waitForURL(/type=armed_clash/);
    await expect.poll(() => total.textContent()).not.toBe(before);
    // The list is fetched apart from the map: wait for it too, rather than read it as the map lands.
    const rowTypes = () => page.locator('.row-type').allTextContents();
    await expect.poll(async () => [...new Set(await rowTypes())]).toEqual(['Clash']);
    expect((await rowTypes()).length).toBeGreaterThan(1);
    await page.getByRole('checkbox', { name: 'Pakistan' }).check();
    await page.waitForURL(/party=PK/);

    // Brush the timeline: drag across its middle third.
    const plot = page.locator('.timeline-plot svg');
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await page.waitForURL(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
    const from = new URL(page.url()).searchParams.get('from')!;
    const to = new URL(page.url()).searchParams.get('to')!;
    await expect.poll(() => page.locator('.timeline-summary').textContent()).toMatch(/days ·/);
    await expect
      .poll(async () => {
        const dates = await page.locator('.row-date').allTextContents();
        return dates.every((d) => {
          const day = new Date(`${d} UTC`).toISOString().slice(0, 10);
          return day >= from && day <= to;
        });
      })
      .toBe(true);
    await mapDrawn(page);
    await shot(page, 'situation-filtered');

    // The same URL in a fresh tab gives the same view.
    const shared = await context().newPage();
    await shared.bringToFront();
    await shared.goto(page.url());
    // A fresh tab loads the whole console first: under the full suite's load that took over a second.
    await expect
      .poll(() => shared.getByTestId('map-total').textContent(), { timeout: 10_000 })
      .toBe(await total.textContent());
    expect(await shared.getByRole('checkbox', { name: 'Armed clash' }).isChecked()).toBe(true);
    await shared.close();
    await page.bringToFront();
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.waitForURL((url) => !url.searchParams.has('type'));
  });

  it('opens an incident: figures with their rules, claims side by side, the quote highlighted, the ledger proof verified', async () => {
    await page.goto(at('/?type=armed_clash&from=2025-10-12&to=2025-10-12'));
    await page.locator('.row-link', { hasText: CLASH }).click();
    await page.waitForURL(/\/console\/incidents\/inc_/);
    expect(await page.getByTestId('incident-title').textContent()).toContain(CLASH);
    const figures = page.locator('table.figures').first();
    await expect.poll(() => figures.textContent()).toContain("PK's admission");
    const pkRow = figures.locator('tbody tr', { hasText: 'Pakistan (PK)' });
    expect(await pkRow.locator('td.num').allTextContents()).toEqual(['23', '23', '58']);
    const claims = page.getByTestId('claim');
    expect(await claims.count()).toBe(3);
    expect(await claims.locator('.admiralty').allTextContents()).toEqual(['C3', 'C3', 'F3']);
    expect(await claims.first().locator('.party').textContent()).toBe('PK');

    const quote = await claims.first().locator('.claim-quote').textContent();
    await claims.first().getByRole('button', { name: 'Show in document' }).click();
    const mark = page.locator('[data-testid=document] mark.quote-mark');
    await mark.waitFor();
    expect(await mark.textContent()).toBe(quote);
    expect(await page.locator('.span-check').textContent()).toMatch(/^✓/);

    const proof = page.getByTestId('ledger-proof');
    await expect.poll(() => proof.textContent(), { timeout: 10_000 }).toMatch(/verified/);
    expect(await proof.getAttribute('class')).toContain('proof-ok');
    expect(await proof.textContent()).toMatch(/signature \(Ed25519, key [0-9a-f]{16}\) is valid/);
    await shot(page, 'incident', true);
  });

  it('verifies the incident with a reason and evidence, and shows the change and its ledger entry', async () => {
    const id = page.url().split('/').pop()!;
    await page.locator('.actions').getByRole('button', { name: 'Verify', exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    // A reason is required before anything is sent.
    await dialog.getByRole('button', { name: /record on the ledger/ }).click();
    expect(await dialog.locator('.form-error').count()).toBe(0); // native `required` stops the submit first
    await dialog
      .locator('textarea[name=reason]')
      .fill('Commercial imagery of 13 Oct shows burnt-out posts at the locations named.');
    await dialog.locator('input[name=evidence-ref]').fill('sha256:9f2c41aa0e7d');
    await dialog.getByRole('button', { name: /record on the ledger/ }).click();
    const notice = page.locator('.notice');
    await notice.waitFor();
    const seq = Number(/ledger entry #(\d+)/.exec((await notice.textContent()) ?? '')?.[1]);
    expect(seq).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.status-now .status').textContent()).toBe('Verified');
    const latest = page.locator('ol.history > li').first();
    expect(await latest.textContent()).toContain('Commercial imagery of 13 Oct');
    expect(await latest.textContent()).toContain('sha256:9f2c41aa0e7d');
    // The incident's own proof now names the new entry, and checks out.
    await expect
      .poll(() => page.getByTestId('ledger-proof').textContent(), { timeout: 10_000 })
      .toContain(`#${seq}`);
    await expect.poll(() => page.getByTestId('ledger-proof').textContent()).toMatch(/verified/);
    await shot(page, 'incident-verified', true);

    const stored = await scenario.instance.store.db
      .selectFrom('incidents')
      .select(['status', 'ledger_seq'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'verified', ledger_seq: seq });

    await latest.getByRole('link', { name: `ledger #${seq}` }).click();
    await page.waitForURL(at(`/ledger?seq=${seq}`));
    const proof = page.getByTestId('ledger-proof');
    await expect.poll(() => proof.textContent(), { timeout: 10_000 }).toMatch(/verified/);
    expect(await proof.textContent()).toContain('Entry body re-hashed here matches its leaf hash');
    const body = await page.locator('.entry-body').textContent();
    expect(body).toContain('"kind": "status.changed"');
    expect(body).toContain('Commercial imagery of 13 Oct');
    expect(await page.getByTestId('signature-check').textContent()).toContain('verified in this browser');
    await shot(page, 'ledger-entry', true);
  });

  it('works the queue from the keyboard: j/k to move, d to dispute with a reason', async () => {
    await page.goto(at('/queue'));
    const rows = page.locator('table.queue tbody tr');
    await rows.first().waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await rows.nth(1).getAttribute('aria-current')).toBe('true');
    const id = (await rows.nth(1).getAttribute('data-incident'))!;
    await shot(page, 'queue');
    await page.keyboard.press('d');
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    await page.keyboard.type('Two wire reports contradict the place and the actor.');
    await dialog.getByRole('button', { name: /record on the ledger/ }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/→ disputed/);
    const stored = await scenario.instance.store.db
      .selectFrom('incidents')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('disputed');
  });

  it('shows the crossings board, the violations register, commitments and the signed tree head', async () => {
    await page.goto(at('/crossings'));
    await page.locator('table.crossings tbody tr').first().waitFor();
    expect(await page.locator('table.crossings').textContent()).toContain('Torkham');
    expect(await page.locator('.native-name[lang=ps]').count()).toBeGreaterThan(0);
    await shot(page, 'crossings', true);

    await page.goto(at('/violations'));
    await page.locator('table.candidates tbody tr').first().waitFor();
    await page
      .locator('table.candidates tbody tr', { hasText: 'retaliatory operations' })
      .getByRole('button', { name: 'Attribute…' })
      .click();
    const dialog = page.locator('dialog[open]');
    await dialog
      .locator('textarea')
      .fill('Mujahid announced the operations on the day the 48-hour truce expired; timing checked.');
    await dialog.getByRole('button', { name: 'Record on the ledger' }).click();
    await expect.poll(() => page.locator('table.register').textContent()).toMatch(/AF/);
    await shot(page, 'violations');

    await page.goto(at('/commitments'));
    await page.locator('table.commitments tbody tr').first().waitFor();
    await shot(page, 'commitments');

    await page.goto(at('/ledger'));
    await expect
      .poll(() => page.getByTestId('signature-check').textContent())
      .toContain('verified in this browser');
    await shot(page, 'ledger');
  });

  it('renders a title made of HTML as text, never as markup', async () => {
    await page.goto(at(`/incidents/${scenario.ids.xss}`));
    const title = page.getByTestId('incident-title');
    await title.waitFor();
    expect(await title.textContent()).toBe(XSS_TITLE);
    expect(await title.locator('img').count()).toBe(0);
    await page.goto(at('/?type=other'));
    const row = page.locator('.row-title', { hasText: XSS_TITLE });
    await row.waitFor();
    expect(await page.locator('.rows img, .marker img').count()).toBe(0);
    await mapDrawn(page);
    await shot(page, 'xss-as-text');
  });

  it('sets Pashto right to left: the title, the quote, and the document with the quote highlighted', async () => {
    await page.goto(at(`/incidents/${scenario.ids.pashto}`));
    const title = page.getByTestId('incident-title');
    await title.waitFor();
    expect(await title.textContent()).toBe(PASHTO.title);
    const direction = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => getComputedStyle(el).direction);
    expect(await direction('[data-testid=incident-title]')).toBe('rtl');
    expect(await direction('.claim-quote')).toBe('rtl');
    expect(await direction('.native-name[lang=ps]')).toBe('rtl');
    await page.getByRole('button', { name: 'Show in document' }).click();
    await page.locator('mark.quote-mark').waitFor();
    expect(await page.locator('mark.quote-mark').textContent()).toBe(PASHTO.quote);
    expect(await direction('.document-body')).toBe('rtl');
    await shot(page, 'incident-pashto', true);
  });

  it('makes a delegate change a one-time password, hides actions, and keeps RED incidents out of reach by URL', async () => {
    const delegate = await pages.open('delegate');
    await delegate.bringToFront();
    await delegate.goto(at('/login'));
    await delegate.fill('input[name=username]', 'pk-delegate');
    await delegate.fill('input[name=password]', scenario.delegateOneTime);
    await delegate.click('form.login button[type=submit]');
    await delegate.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await delegate.fill('input[name=currentPassword]', scenario.delegateOneTime);
    await delegate.fill('input[name=newPassword]', 'a long passphrase for the PK delegate');
    await delegate.fill('input[name=newPasswordAgain]', 'a long passphrase for the PK delegate');
    await delegate.getByRole('button', { name: 'Set password' }).click();
    await delegate.locator('.marker').first().waitFor();
    expect(await delegate.locator('.who-role').textContent()).toBe('delegate · PK');

    await delegate.goto(at(`/incidents/${scenario.ids.red}`));
    await delegate.locator('.state-error').waitFor();
    expect(await delegate.locator('.state-error').textContent()).toContain(
      'does not exist, or is not shared with you',
    );
    expect(await delegate.locator('body').textContent()).not.toContain('Named-only field report');
    await shot(delegate, 'delegate-red-incident');

    await delegate.goto(at(`/incidents/${scenario.ids.xss}`));
    await delegate.getByTestId('incident-title').waitFor();
    expect(await delegate.locator('.actions').count()).toBe(0);
    await delegate.goto(at('/queue'));
    await delegate.locator('table.queue tbody tr').first().waitFor();
    expect(await delegate.locator('.keys').textContent()).toContain('actions are for monitors');
    await delegate.keyboard.press('v');
    expect(await delegate.locator('dialog[open]').count()).toBe(0);
  });

  it('had no CSP violation, script error, dialog or off-origin request on any page', () => {
    expect(pages.problems).toEqual([]);
  });
});
