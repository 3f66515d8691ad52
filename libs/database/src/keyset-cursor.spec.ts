import { BadRequestException } from '@nestjs/common';
import { decodeKeysetCursor, encodeKeysetCursor, likeEscape } from './keyset-cursor';

const ID = '6f1c3a43-55a5-4b7f-8c39-1ef7d6d0b0b1';
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('keyset cursor', () => {
  it('reads back what it wrote, names with accents and quotes included', () => {
    const cursor = { sortName: 'müller "jörg", o\'brien', id: ID };
    const text = encodeKeysetCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/); // safe in a query string as it is
    expect(decodeKeysetCursor(text)).toEqual(cursor);
  });

  it.each([
    ['an empty text', ''],
    ['text that is not base64url JSON', 'bm9wZQ'],
    ['JSON that is not an object', base64url(42)],
    ['null', base64url(null)],
    ['a missing sort name', base64url({ id: ID })],
    ['a sort name that is not text', base64url({ sortName: 7, id: ID })],
    ['an id that is not a UUID', base64url({ sortName: 'a', id: '1; DROP TABLE attendees' })],
    ['an id of 36 dashes', base64url({ sortName: 'a', id: '-'.repeat(36) })],
  ])('refuses %s with a 400 that says why', (_, text) => {
    let thrown: unknown;
    try {
      decodeKeysetCursor(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadRequestException);
    expect((thrown as BadRequestException).getResponse()).toMatchObject({
      statusCode: 400,
      message: ['cursor is not a cursor this list returned'],
    });
  });

  it('escapes LIKE wildcards so they match themselves', () => {
    expect(likeEscape('50% off_now\\')).toBe('50\\% off\\_now\\\\');
    expect(likeEscape('müller')).toBe('müller');
  });
});
