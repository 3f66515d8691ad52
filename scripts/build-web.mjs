/* global process, console */
// Bundles the front-ends (apps/door-scanner, apps/organiser-web) into static files under dist/web/<app>.
// Which service serves them (check-in by default, WEB_PAGES_DIR) or a reverse proxy is configuration.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  console.log(`${page.name} built into ${page.out}`);
}
