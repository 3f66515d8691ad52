/* global process, console */
// Bundles the front-ends (apps/door-scanner, apps/organiser-web) into static files under dist/web/<app>.
// Which service serves them (check-in by default, WEB_PAGES_DIR) or a reverse proxy is configuration.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iconPng, ICON_SIZES, manifest, shellFiles } from './scanner-app-files.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * The front-ends: the door staff's scanner (served at /scan) and the organisers' pages (served at
 * /dashboard, Preact). Each is one script, one stylesheet and the HTML. Browser code shares code
 * with the services only through libs (never apps/<service>/src).
 */
const pages = [
  {
    name: 'scanner page',
    source: join(root, 'apps/door-scanner'),
    out: join(root, 'dist/web/door-scanner'),
    entry: 'src/main.ts',
    // the page shares the badge format and the door rules with the server: @einlass/tickets points
    // at the format code alone (no node:crypto; signatures are checked with WebCrypto), and
    // @einlass/contracts at its browser part (HTTP shapes and labels, no zod)
    offlineApp: true,
    alias: {
      '@einlass/tickets': join(root, 'libs/tickets/src/ticket-format.ts'),
      '@einlass/contracts': join(root, 'libs/contracts/src/web.ts'),
      '@einlass/door-rules': join(root, 'libs/door-rules/src'),
      '@einlass/web-ui': join(root, 'libs/web-ui/src'),
    },
  },
  {
    name: "organisers' pages",
    source: join(root, 'apps/organiser-web'),
    out: join(root, 'dist/web/organiser-web'),
    entry: 'src/main.tsx',
    alias: {
      '@einlass/contracts': join(root, 'libs/contracts/src/web.ts'),
      '@einlass/web-ui': join(root, 'libs/web-ui/src'),
    },
  },
];

for (const page of pages) {
  // esbuild only strips types: check them first. The browser code is excluded from the root
  // tsconfig (which has no DOM library); each page's own tsconfig.json checks it.
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(page.source, 'tsconfig.json')], {
    stdio: 'inherit',
  });
  await mkdir(page.out, { recursive: true });
  await build({
    entryPoints: [join(page.source, page.entry)],
    outfile: join(page.out, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'safari16', 'firefox115'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    tsconfig: join(page.source, 'tsconfig.json'),
    alias: page.alias,
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(page.source, 'app.css')],
    outfile: join(page.out, 'app.css'),
    bundle: true,
    minify: true,
    logLevel: 'warning',
  });
  await copyFile(join(page.source, 'index.html'), join(page.out, 'index.html'));
  if (page.offlineApp) await buildOfflineApp(page);
  console.log(`${page.name} built into ${page.out}`);
}

/**
 * The scanner as an installable offline app: its manifest and icons, and the service worker
 * (apps/door-scanner/worker) that keeps the shell, versioned by the hash of the built files: a new
 * build is a new worker, which the page takes up when online (see the worker's comment).
 */
async function buildOfflineApp(page) {
  await writeFile(
    join(page.out, 'manifest.webmanifest'),
    JSON.stringify(manifest(), null, 2) + '\n',
  );
  for (const size of ICON_SIZES) await writeFile(join(page.out, `icon-${size}.png`), iconPng(size));
  const hash = createHash('sha256');
  for (const file of ['index.html', 'app.js', 'app.css', 'manifest.webmanifest'])
    hash.update(await readFile(join(page.out, file)));
  const version = hash.digest('hex').slice(0, 16);
  const worker = join(page.source, 'worker');
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(worker, 'tsconfig.json')], {
    stdio: 'inherit',
  });
  await build({
    entryPoints: [join(worker, 'service-worker.ts')],
    outfile: join(page.out, 'sw.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'safari16', 'firefox115'],
    minify: true,
    define: {
      SHELL_VERSION: JSON.stringify(version),
      SHELL_FILES: JSON.stringify(shellFiles()),
    },
    tsconfig: join(worker, 'tsconfig.json'),
    logLevel: 'warning',
  });
}
