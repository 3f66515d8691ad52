import type { Described, FileProblem } from './import-problems';

/**
 * A problem with the file as a whole, answered 400 by the caller: `message` in English, `problem`
 * for clients that say it in their own words.
 */
export class AttendeeFileError extends Error {
  override name = 'AttendeeFileError';
  readonly problem: FileProblem;

  constructor({ problem, text }: Described<FileProblem>) {
    super(text);
    this.problem = problem;
  }
}
