/**
 * JSON bodies read cheaply and refused cheaply: bytes that are not UTF-8 are a 400 (never stored
 * as U+FFFD), and nesting deeper than MAX_JSON_DEPTH is a 400 found by one linear pass before
 * JSON.parse, so a body of nested brackets never reaches a recursive parser or validator.
 */

/** Arrays and objects nested deeper than this are refused; no Einlass body nests beyond 4. */
export const MAX_JSON_DEPTH = 32;

/** A client error Fastify and the error filter answer with its status. */
export class BodyError extends Error {
  readonly statusCode = 400;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseJsonBody(body: Buffer | string, maxDepth = MAX_JSON_DEPTH): unknown {
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else {
    try {
      text = utf8.decode(body);
    } catch {
      throw new BodyError('The body is not valid UTF-8');
    }
  }
  const depth = nestingDepth(text, maxDepth);
  if (depth > maxDepth) {
    throw new BodyError(`The JSON body nests deeper than ${maxDepth} levels`);
  }
  if (text.trim() === '') throw new BodyError('The body is empty; JSON was expected');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BodyError(
      `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * How deep arrays and objects nest in `text` (brackets inside strings do not count); stops
 * counting once past `stopAbove`.
 */
export function nestingDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
