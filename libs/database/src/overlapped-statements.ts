import type { EntityManager } from 'typeorm';

/** A statement and its parameters, ready to send. */
export interface Statement {
  sql: string;
  parameters: unknown[];
}

/**
 * Runs one statement per part, in order, in the manager's transaction, building each one's
 * parameters while PostgreSQL still works on the one before: for an import of 50,000 people the
 * JSON documents are large, and taking turns (build, wait, build, wait) left both node and the
 * database idle half of the time.
 */
export async function runOverlapped<Part>(
  manager: EntityManager,
  parts: Iterable<Part>,
  statementFor: (part: Part) => Statement,
): Promise<void> {
  let previous: Promise<unknown> | undefined;
  for (const part of parts) {
    const { sql, parameters } = statementFor(part);
    if (previous) await previous;
    const sent = manager.query(sql, parameters);
    // Awaited in the next turn; until then a failure must not count as unhandled.
    sent.catch(() => undefined);
    previous = sent;
    // Let the statement leave for the database before the next one is built.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await previous;
}
