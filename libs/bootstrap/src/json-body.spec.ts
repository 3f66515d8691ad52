import { MAX_JSON_DEPTH, nestingDepth, parseJsonBody } from './json-body';

describe('JSON bodies', () => {
  it('parses ordinary JSON, a byte order mark and all', () => {
    expect(parseJsonBody(Buffer.from('{"qr":"A","gate":"Nord"}'))).toEqual({
      qr: 'A',
      gate: 'Nord',
    });
    expect(parseJsonBody(Buffer.from('\uFEFF[1,{"a":[2]}]'))).toEqual([1, { a: [2] }]);
  });

  it('counts nesting, not brackets inside strings', () => {
    expect(nestingDepth('{"a":[[1]],"b":"[[[[[[{{{{"}')).toBe(3);
    expect(nestingDepth('["\\"[[["]')).toBe(1);
  });

  it('refuses 800 KB of nested brackets in one pass, without a stack overflow', () => {
    const body = Buffer.from('['.repeat(400_000) + ']'.repeat(400_000));
    expect(() => parseJsonBody(body)).toThrow(`nests deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it('refuses bytes that are not UTF-8 with a 400, never U+FFFD', () => {
    const body = Buffer.concat([
      Buffer.from('{"lastName":"M'),
      Buffer.from([0xfc]),
      Buffer.from('ller"}'),
    ]);
    expect(() => parseJsonBody(body)).toThrow(
      expect.objectContaining({ statusCode: 400, message: 'The body is not valid UTF-8' }),
    );
  });

  it('refuses malformed JSON with a 400', () => {
    expect(() => parseJsonBody(Buffer.from('{"a":'))).toThrow(
      expect.objectContaining({ statusCode: 400 }),
    );
  });
});
