/**
 * The server names the fields in its validation messages ("email must be an email address",
 * "firstName must not be empty"): those go next to their field, the rest above the form.
 */
import { ApiError } from '../api';

export interface FieldErrors {
  fields: Record<string, string>;
  general: string[];
}

export function fieldErrors(error: unknown, fieldNames: readonly string[]): FieldErrors | null {
  if (!(error instanceof ApiError)) return null;
  const body = error.body as { message?: unknown } | undefined;
  const messages = Array.isArray(body?.message)
    ? body.message.map(String)
    : typeof body?.message === 'string'
      ? [body.message]
      : [error.message];
  const result: FieldErrors = { fields: {}, general: [] };
  for (const message of messages) {
    const field = fieldNames.find(
      (name) => message.startsWith(`${name} `) || message.startsWith(`${name}.`),
    );
    if (field && !result.fields[field]) result.fields[field] = message;
    else result.general.push(message);
  }
  return result;
}
