/* global process, console */
// Writes docs/openapi.json: the OpenAPI documents of the three services (each also serves its own
// at /api/openapi.json), merged. Reads the built services (dist/apps/<service>, with the Nest CLI's
// swagger plugin): `npm run openapi` builds them first.
//   node scripts/openapi.mjs           write docs/openapi.json
//   node scripts/openapi.mjs --check   exit 1 when docs/openapi.json is not what the code describes
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs/openapi.json');
const require = createRequire(import.meta.url);

const services = [
  { service: 'registration', module: 'registration.module.js', className: 'RegistrationModule' },
  { service: 'badges', module: 'badges.module.js', className: 'BadgesModule' },
  { service: 'checkin', module: 'checkin.module.js', className: 'CheckinModule' },
];

// The modules read their configuration when imported; nothing connects in preview mode.
process.env.DATABASE_URL ??= 'postgres://openapi@127.0.0.1:1/openapi';
process.env.REDIS_URL ??= 'redis://127.0.0.1:1';

const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

const parts = [];
let merge;
for (const { service, module, className } of services) {
  const built = join(root, 'dist/apps', service);
  const rootModule = require(join(built, 'apps', service, 'src', module))[className];
  const apiDocument = require(join(built, 'libs/bootstrap/src/api-document.js'));
  merge ??= apiDocument.mergeApiDocuments;
  // preview: the controllers' metadata without instantiating anything (no database, no Redis)
  const app = await NestFactory.create(rootModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  const options = apiDocument.apiDocumentOptionsOf(rootModule);
  parts.push({ ...options, document: apiDocument.describeApi(app, options) });
  await app.close();
}
const text = `${JSON.stringify(merge(parts), null, 2)}\n`;

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== text) {
    console.error(
      'docs/openapi.json is not what the services describe: run "npm run openapi" and commit it.',
    );
    process.exit(1);
  }
  console.log('docs/openapi.json is up to date');
} else {
  await writeFile(target, text);
  console.log(`wrote ${target}`);
}
