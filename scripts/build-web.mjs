/* global process, console */
// Bundles the scanner page (apps/checkin/web) for the browser: one script, one stylesheet and the
// HTML, written to dist/apps/checkin/web, where the checkin service serves them (GET /scan).
// The page shares the badge format and the door rules with the server: @einlass/tickets points at
// the format code alone (no node:crypto; signatures are checked with WebCrypto in the browser).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'apps/checkin/web');
const out = join(root, 'dist/apps/checkin/web');

// esbuild only strips types: check them first. The browser code (web/src) is excluded from the
// root tsconfig (which has no DOM library); apps/checkin/web/tsconfig.json checks it.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(source, 'tsconfig.json')], {
  stdio: 'inherit',
});

await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(source, 'src/main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome109', 'safari16', 'firefox115'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  tsconfig: join(source, 'tsconfig.json'),
  alias: { '@einlass/tickets': join(root, 'libs/tickets/src/ticket-format.ts') },
  logLevel: 'warning',
});
await build({
  entryPoints: [join(source, 'app.css')],
  outfile: join(out, 'app.css'),
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
await copyFile(join(source, 'index.html'), join(out, 'index.html'));
console.log(`scanner page built into ${out}`);
