import { decodeText } from './file-decoding';

describe('file decoding', () => {
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));

  it('decodes Windows-1252 one byte to one character', () => {
    expect(decodeText(everyByte, 'windows-1252')).toHaveLength(256);
  });

  it.each([
    [0x80, '€'],
    [0x84, '„'],
    [0x92, '’'],
    [0x93, '“'],
    [0x96, '–'],
    [0x9f, 'Ÿ'],
    [0xa0, '\u00a0'],
    [0xe4, 'ä'],
    [0xdf, 'ß'],
    [0x41, 'A'],
  ])('decodes Windows-1252 byte %i as %j', (byte, character) => {
    expect(decodeText(Buffer.from([byte]), 'windows-1252')).toBe(character);
  });

  it.each([0x81, 0x8d, 0x8f, 0x90, 0x9d])(
    'keeps the undefined Windows-1252 byte %i as the C1 control of that number (WHATWG)',
    (byte) => {
      const text = decodeText(Buffer.from([0x41, byte, 0x80]), 'windows-1252');
      expect(text).toBe(`A${String.fromCharCode(byte)}€`);
    },
  );

  it('decodes UTF-8 as UTF-8', () => {
    expect(decodeText(Buffer.from('Jörg Müller €', 'utf8'), 'utf-8')).toBe('Jörg Müller €');
  });
});
