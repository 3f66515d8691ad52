import { isUtf8 } from 'node:buffer';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { decode } from 'iconv-lite';
import { AttendeeFileError } from './attendee-file-error';
import { fileProblems } from './import-problems';

/**
 * Turning an uploaded CSV's bytes into text: refusing what is not text, telling UTF-8 from
 * Windows-1252 (what Excel on a German Windows machine saves), and decoding piece by piece, so
 * that a 50 MB list is never decoded as a whole.
 */

export type FileEncoding = 'utf-8' | 'windows-1252';

/** Bytes looked at between two turns of the event loop while checking that a file is text. */
const BYTES_PER_TURN = 4 * 1024 * 1024;
/** The text is handed to the CSV parser this many bytes at a time, a turn of the event loop each. */
const PIECE_BYTES = 64 * 1024;

/**
 * Refuses what is not text: a NUL byte never occurs in a UTF-8 or Windows-1252 CSV (an .xlsx
 * workbook is a ZIP, and Excel's "Unicode text" is UTF-16, both full of them), and text has few
 * control characters besides tab, CR and LF.
 */
export async function refuseBinary(bytes: Buffer): Promise<void> {
  if (bytes.includes(0)) throw new AttendeeFileError(fileProblems.nulBytes());
  let controls = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f)
      controls++;
    if (i % BYTES_PER_TURN === BYTES_PER_TURN - 1) await nextTurn();
  }
  if (controls * 100 > bytes.length) {
    throw new AttendeeFileError(fileProblems.controlCharacters(controls, bytes.length));
  }
}

/**
 * Detects the encoding from the bytes: a UTF-8 byte order mark, or bytes that are valid UTF-8
 * (text in any other encoding with umlauts practically never is), else Windows-1252, which every
 * byte sequence is. Checked in place, without decoding: the text is decoded piece by piece as it
 * is parsed (see textPieces). The body is the bytes after a byte order mark.
 */
export function encodingOf(bytes: Buffer): { body: Buffer; encoding: FileEncoding } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  if (isUtf8(body)) return { body, encoding: 'utf-8' };
  if (hasBom) throw new AttendeeFileError(fileProblems.invalidUtf8());
  return { body, encoding: 'windows-1252' };
}

/** The bytes as text (a whole number of characters: a UTF-8 piece must not cut one). */
export function decodeText(bytes: Buffer, encoding: FileEncoding): string {
  return encoding === 'utf-8' ? bytes.toString('utf8') : windows1252(bytes);
}

/**
 * The text in pieces for the CSV parser: UTF-8 as the bytes themselves (the parser decodes each
 * field, so a character split between two pieces is whole again), Windows-1252 decoded piece by
 * piece (one byte is one character, so any cut is clean). Each piece in a turn of the event loop
 * of its own, as the parser's stream otherwise runs on without giving other requests one.
 */
export async function* textPieces(
  body: Buffer,
  encoding: FileEncoding,
): AsyncGenerator<Buffer | string> {
  for (let at = 0; at < body.length; at += PIECE_BYTES) {
    const piece = body.subarray(at, at + PIECE_BYTES);
    yield encoding === 'utf-8' ? piece : windows1252(piece);
    await nextTurn();
  }
}

/**
 * Windows-1252 text, by iconv-lite (Node's TextDecoder('windows-1252') decodes 0x80–0x9F as
 * Latin-1 since Node 20.18.3, nodejs/node#56542, #60888, losing "€", "„", "“", "’").
 * The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) iconv-lite decodes
 * as U+FFFD; they stay the C1 controls of the same number here, as WHATWG's decoder (and this
 * import, always) has them. One byte is one character, so the byte is found at the same index.
 */
function windows1252(bytes: Buffer): string {
  const text = decode(bytes, 'windows-1252');
  if (!text.includes('\ufffd')) return text;
  return text.replace(/\ufffd/g, (_, index: number) => String.fromCharCode(bytes[index]));
}
