/** The situation report: sections, the TLP mark on every page, the viewer's policy, escaping, and PDF through Chromium. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MECHANISM, PUBLIC } from '../src/access/viewer.ts';
import { buildServer } from '../src/api/server.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Instance } from '../src/instance.ts';
import { createIncident } from '../src/record/incident.ts';
import { chromiumPath, printPdf } from '../src/report/pdf.ts';
import { situationReport } from '../src/report/sitrep.ts';
import { closeTestInstance, openTestInstance } from './support/instance.ts';

describe('situation report', () => {
  let instance: Instance;
  const named = { role: 'monitor', userId: 'usr_named', partyId: null } as const;
  const dir = mkdtempSync(join(tmpdir(), 'truce-report-test-'));

  beforeAll(async () => {
    instance = await openTestInstance();
    await seedDemo(instance);
    await createIncident(instance.store, 'm', {
      type: 'armed_clash',
      title: '<script>alert(1)</script> Night raid near Kurram',
      occurredOn: '2025-10-20',
      placeId: 'pk-kp',
      actorId: 'AF.forces',
      tlp: 'RED',
      recipients: ['usr_named'],
    });
  });
  afterAll(async () => {
    await closeTestInstance(instance);
    rmSync(dir, { recursive: true, force: true });
  });

  it('summarises the period with every section, marked TLP:CLEAR for the public', async () => {
    const report = await situationReport(instance.store.db, PUBLIC, { from: '2025-10-01', to: '2025-10-31' });
    expect(report.tlp).toBe('CLEAR');
    expect(report.incidents).toBe(6);
    for (const section of [
      'Headline',
      'Map',
      'Escalation',
      'Crossings as of 2025-10-31',
      'Violations register',
      'Notable incidents',
      'Forecast',
      'Demonstrable action',
    ]) {
      expect(report.html).toContain(`<h2>${section}`);
    }
    // The codebook's 12 October figures, with the rule that produced them.
    expect(report.html).toContain('military (PK): <b>23 / 23 / 58</b>');
    expect(report.html).toMatch(/Torkham<\/td><td>closed<\/td><td>2025-10-12<\/td><td>20<\/td>/);
    // A fixed header and footer carry the mark, so it repeats on every printed page.
    expect(
      report.html.match(/class="page-mark"><span class="tlp tlp-clear">TLP:CLEAR<\/span>/g),
    ).toHaveLength(2);
    expect(report.html).not.toContain('Night raid');
    expect(report.html).not.toMatch(/<script/i);
  });

  it('is marked RED when a RED record is in it, and escapes its text', async () => {
    const report = await situationReport(instance.store.db, named, { from: '2025-10-01', to: '2025-10-31' });
    expect(report.tlp).toBe('RED');
    expect(report.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Night raid near Kurram');
    expect(report.html).not.toMatch(/<script/i);
    const mechanism = await situationReport(instance.store.db, MECHANISM, {
      from: '2025-10-01',
      to: '2025-10-31',
    });
    expect(mechanism.html).not.toContain('Night raid'); // RED names people, and the mechanism's service account is not named
  });

  it('is served as script-free HTML under its own strict policy', async () => {
    const app = await buildServer({ instance, trustedViewer: () => PUBLIC, webRoot: null });
    const response = await app.inject('/reports/situation?from=2025-10-01&to=2025-10-31');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(response.headers['x-tlp']).toBe('CLEAR');
    expect((await app.inject('/reports/situation?from=2025-10-01')).statusCode).toBe(400);
    await app.close();
  });

  it.skipIf(!chromiumPath())(
    'prints to PDF with the installed Chromium',
    async () => {
      const report = await situationReport(instance.store.db, PUBLIC, {
        from: '2025-10-01',
        to: '2025-10-31',
      });
      const out = join(dir, 'sitrep.pdf');
      await printPdf(report.html, out);
      const bytes = readFileSync(out);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(bytes.length).toBeGreaterThan(20_000);
    },
    120_000,
  );
});
