import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';

/** Debian's Chromium, headless (`npx playwright install` cannot work on these machines). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves screenshots as test artefacts under test-artifacts/<suite>/<name>.png. */
export function screenshots(suite: string) {
  const dir = join(__dirname, '..', '..', '..', 'test-artifacts', suite);
  mkdirSync(dir, { recursive: true });
  return (page: Page, name: string, fullPage = false) =>
    page.screenshot({ path: join(dir, `${name}.png`), fullPage });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2.x A/AA rules) on the page as it is now and returns the serious and
 * critical violations. The browser context needs `bypassCSP: true`: the pages' CSP allows no
 * injected script.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in globalThis)))
    await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (...args: unknown[]) => Promise<any> } })
      .axe;
    const result = await axe.run((globalThis as any).document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return (result.violations as any[]).map((v) => ({
      id: v.id as string,
      impact: v.impact as string | null,
      help: v.help as string,
      nodes: (v.nodes as any[]).slice(0, 5).map((n) => (n.target as string[]).join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Signs in on the organisers' pages open in `page` (the sign-in form showing) with `token`, and
 * picks the event `slug` (tests share the database, so there are others).
 */
export async function signInToOrganiserPages(page: Page, token: string, slug: string) {
  await page.fill('input[name="token"]', token);
  await page.click('button[type="submit"]');
  await page.waitForSelector('.event-picker select');
  await page.selectOption('.event-picker select', slug);
}

/**
 * Signs the scanner page open in `page` (its sign-in form showing) in to the event `slug` with
 * `token`, as a steward does: token and event code, then the gate (list and direction as they
 * are), and waits until it is ready to scan.
 */
export async function signInToScanner(
  page: Page,
  door: { token: string; slug: string; gate: string },
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const timeout = options.timeoutMs ?? 30_000;
  await page.fill('#token', door.token);
  await page.fill('#slug', door.slug);
  await page.click('#connect');
  await page.waitForSelector('#gate', { timeout });
  await page.fill('#gate', door.gate);
  await page.click('#start');
  await page.waitForSelector('#result[data-result="ready"]', { timeout });
}

/**
 * Headless Chromium has no print dialog (a PDF frame's print() crashes the page): in `context`,
 * the print() of the page's print frame (the iframe with id `frameId`, see printPdfFromFrame) is
 * counted instead, so a test sees the page ask the browser to print. printDialogsOpened reads
 * the count.
 */
export async function countPrintDialogs(context: BrowserContext, frameId: string): Promise<void> {
  await context.addInitScript((id: string) => {
    const w = globalThis as any;
    const own = Object.getOwnPropertyDescriptor(w.HTMLIFrameElement.prototype, 'contentWindow')!;
    Object.defineProperty(w.HTMLIFrameElement.prototype, 'contentWindow', {
      get() {
        const frameWindow = own.get!.call(this);
        if (!frameWindow || this.id !== id) return frameWindow;
        return {
          focus: () => undefined,
          print: () => (w.badgesPrinted = (w.badgesPrinted ?? 0) + 1),
        };
      },
    });
  }, frameId);
}

/** How often the page asked to print since it loaded (countPrintDialogs). */
export async function printDialogsOpened(page: Page): Promise<number> {
  return (await page.evaluate(() => (globalThis as any).badgesPrinted as number | undefined)) ?? 0;
}

/** A picture of a QR code on a page (an element's box, scrolled into view), for zbarimg. */
export async function qrPicture(page: Page, element: Locator): Promise<Buffer> {
  await element.scrollIntoViewIfNeeded({ timeout: 10_000 });
  const box = await element.boundingBox({ timeout: 10_000 });
  if (!box) throw new Error('the QR code is not on the page');
  return page.screenshot({ clip: box, timeout: 10_000 });
}

/** Where the scanner page keeps its scan snapshot (apps/door-scanner/src/device.ts). */
export interface ScannerSnapshotOnDevice {
  /** IndexedDB (`einlass-scanner`, store `keyval`, key `snapshot`), or localStorage as before. */
  store: 'indexedDB' | 'localStorage';
  /** Its size as JSON text, in bytes (UTF-8). */
  bytes: number;
  /** The snapshot itself, unless asked for the size only. */
  snapshot?: any;
}

/**
 * The scan snapshot the scanner page open in `page` has stored (null: none), read from the
 * browser's storage as a reload would find it. `{ withSnapshot: false }` brings back its size
 * only (a large event's snapshot is several MB).
 */
export function scannerSnapshotOnDevice(
  page: Page,
  { withSnapshot = true } = {},
): Promise<ScannerSnapshotOnDevice | null> {
  // runs in the page; this program has no DOM types
  return page.evaluate(async (withSnapshot: boolean) => {
    const browser = globalThis as any;
    const inIndexedDb = await new Promise<unknown>((resolve, reject) => {
      const open = browser.indexedDB.open('einlass-scanner');
      // as idb-keyval creates it, so the page finds its store should it open the database later
      open.onupgradeneeded = () => open.result.createObjectStore('keyval');
      open.onerror = () => reject(new Error(`IndexedDB: ${String(open.error)}`));
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('keyval')) return (db.close(), resolve(undefined));
        const read = db.transaction('keyval', 'readonly').objectStore('keyval').get('snapshot');
        read.onerror = () => (db.close(), reject(new Error(`IndexedDB: ${String(read.error)}`)));
        read.onsuccess = () => (db.close(), resolve(read.result));
      };
    });
    const inLocalStorage = browser.localStorage.getItem('einlass.scanner.snapshot');
    const store = inIndexedDb !== undefined ? 'indexedDB' : inLocalStorage ? 'localStorage' : null;
    if (!store) return null;
    const text = store === 'indexedDB' ? JSON.stringify(inIndexedDb) : String(inLocalStorage);
    return {
      store,
      bytes: new browser.TextEncoder().encode(text).length as number,
      ...(withSnapshot ? { snapshot: JSON.parse(text) } : {}),
    };
  }, withSnapshot);
}
