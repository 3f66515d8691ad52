import { ConfigurationError, parseEnvironment } from '@einlass/config';
import { migrate, ServiceDatabase } from './data-source-options';

/** `node …/migrate.js`: runs a service's pending migrations and exits (0 on success). */
export function runMigrateCommand(service: ServiceDatabase): void {
  let url: string;
  try {
    url = parseEnvironment(process.env).DATABASE_URL;
  } catch (error) {
    process.stderr.write(
      `${error instanceof ConfigurationError ? error.message : String(error)}\n`,
    );
    process.exit(78);
  }
  migrate(url, service).then(
    (ran) => {
      process.stdout.write(
        `${service.schema}: ${ran.length === 0 ? 'up to date' : `applied ${ran.join(', ')}`}\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`${service.schema}: migration failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
