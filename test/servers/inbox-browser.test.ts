/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The web inbox in a real browser: headless Chromium (found on PATH as
 * `chromium` or `chromium-browser`, or named by CHROMIUM) driven by
 * puppeteer-core, with a fresh profile and no network side traffic.
 * A message sent over SMTP appears in the open page without a reload; its
 * view links its attachment; a hostile HTML mail (script, event handlers,
 * remote image, stylesheet, frame, refresh, CSS url) renders with no script
 * run and no request to the beacon server it points at. Skipped, with the
 * reason, when Chromium is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { servers, smtp } from '../../src/index.js';

function findChromium(): string | null {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return null;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A TCP server that only counts connections: every remote load would land here. */
async function beacon(): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((s) => {
    hits++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, hits: () => hits };
}

const chromium = findChromium();

test('web inbox in headless Chromium: live list, attachment link, hostile HTML inert', {
  skip: chromium === null ? 'Chromium is not installed (no chromium on PATH, CHROMIUM unset)' : false,
  timeout: 120_000,
}, async () => {
  const puppeteer = (await import('puppeteer-core')).default;
  const profile = mkdtempSync(join(tmpdir(), 'netkit-chromium-'));
  const box = await servers.mailbox({ smtpPort: 0, pop3Port: 0, users: { alice: 'pw' }, store: 'memory', web: { port: 0 } });
  const trap = await beacon();
  const browser = await puppeteer.launch({ executablePath: chromium!, args: [...FLAGS, `--user-data-dir=${profile}`], userDataDir: profile });
  try {
    const page = await browser.newPage();
    // Chromium reports a request the CSP blocks as a request that failed ('csp'); only one that got an answer counts
    const remote: string[] = [];
    page.on('requestfinished', (r) => void (r.url().includes(`:${trap.port}`) && remote.push(r.url())));
    await page.goto(box.web!.url, { waitUntil: 'networkidle2' });
    await page.waitForFunction(() => document.getElementById('status')?.textContent === '0 messages');

    await smtp.send({
      server: '127.0.0.1',
      port: box.smtp.port,
      from: 'bob@example.test',
      rcpt: 'alice@localhost',
      source: smtp.message({
        headers: { From: 'Bob <bob@example.test>', To: 'alice@localhost', Subject: 'Quarterly report' },
        body: {
          parts: [
            { body: 'See the attached report.' },
            {
              headers: [
                ['Content-Type', 'application/pdf; name="report.pdf"'],
                ['Content-Disposition', 'attachment; filename="report.pdf"'],
              ],
              body: Buffer.from('%PDF-1.4 test'),
            },
          ],
        },
      }),
    });
    await page.waitForFunction(() => [...document.querySelectorAll('#rows tr')].some((tr) => tr.textContent?.includes('Quarterly report')), {
      timeout: 10_000,
    });
    await page.click('#rows tr');
    await page.waitForSelector('a.attachment', { visible: true });
    const link = await page.$eval('a.attachment', (a) => ({ text: a.textContent, href: a.getAttribute('href'), download: a.getAttribute('download') }));
    assert.match(link.text ?? '', /^report\.pdf /);
    assert.equal(link.download, 'report.pdf');
    const file = await page.evaluate(async (href) => (await fetch(href!)).text(), link.href);
    assert.equal(file, '%PDF-1.4 test');
    await page.click('#close');

    const u = `http://127.0.0.1:${trap.port}`;
    const hostile = `<p id="shown">hello</p><script>document.body.insertAdjacentHTML('beforeend','<p id="ran">ran</p>');new Image().src='${u}/script'</script>
<img src="${u}/img" onerror="document.body.append('HANDLER-RAN')"><link rel="stylesheet" href="${u}/css"><iframe src="${u}/frame"></iframe>
<meta http-equiv="refresh" content="0;url=${u}/refresh"><div style="background:url(${u}/bg)">x</div><svg onload="fetch('${u}/svg')"></svg>`;
    await smtp.send({
      server: '127.0.0.1',
      port: box.smtp.port,
      from: 'mallory@example.test',
      rcpt: 'alice@localhost',
      source: smtp.message({
        headers: { From: 'Mallory <mallory@example.test>', To: 'alice@localhost', Subject: 'Hostile <script>alert(1)</script>' },
        body: { parts: [{ body: 'plain' }, { headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: hostile }] },
      }),
    });
    await page.waitForFunction(() => [...document.querySelectorAll('#rows td')].some((td) => td.textContent === 'Hostile <script>alert(1)</script>'), {
      timeout: 10_000,
    });
    await page.click('#rows tr');
    await page.waitForSelector('#html:not([hidden])');
    const frame = await (await page.$('#html'))!.contentFrame();
    await frame!.waitForSelector('#shown');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await frame!.$('#ran'), null, 'a script in the mail ran');
    assert.equal(await frame!.evaluate(() => document.body.textContent.includes('HANDLER-RAN')), false, 'an event handler in the mail ran');
    assert.equal(await page.evaluate(() => document.getElementById('subject')?.textContent), 'Hostile <script>alert(1)</script>');
    const direct = await browser.newPage();
    await direct.goto(
      `${box.web!.url}api/messages/${encodeURIComponent(await page.evaluate(() => (document.querySelector('#rows tr') as HTMLElement).dataset.id!))}/html`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await direct.$('#ran'), null, 'a script ran when the HTML part was opened directly');
    assert.deepEqual(remote, [], 'the browser loaded remote content');
    assert.equal(trap.hits(), 0, 'the beacon was contacted');
  } finally {
    await browser.close();
    await box.close();
    trap.server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
