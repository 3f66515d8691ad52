import {
  IsDateString,
  isDateString,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  matches,
  MaxLength,
} from 'class-validator';
import { onlyKeys, registerFastCheck } from '@einlass/bootstrap';
import type { Direction } from '@einlass/contracts';

export class ScanDto {
  /** The QR code's text, exactly as read. Anything not a badge is answered `invalid`, not 400. */
  @IsString()
  @MaxLength(2048)
  qr!: string;

  @IsString()
  @Matches(/^[\p{L}\p{N} _.-]{1,64}$/u, {
    message: 'gate must be a short name (letters, digits, " _.-")',
  })
  gate!: string;

  /** `main` (the entrance, default) or a session code. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'list must be main or a session code' })
  list?: string;

  @IsOptional()
  @IsIn(['in', 'out'], { message: 'direction must be in or out' })
  direction?: Direction;

  /** A device's id for this scan: the same nonce sent twice is one scan. */
  @IsOptional()
  @IsString()
  @Matches(/^[\w.:-]{1,100}$/, { message: 'nonce must be 1 to 100 letters, digits or "_.:-"' })
  nonce?: string;

  /** When an offline device saw the badge. */
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'scannedAt must be an ISO 8601 date and time' })
  scannedAt?: string;
}

// The decorators' patterns again (the API document reads them from the decorators' literals).
const GATE = /^[\p{L}\p{N} _.-]{1,64}$/u;
const LIST = /^[A-Za-z0-9_-]{1,32}$/;
const NONCE = /^[\w.:-]{1,100}$/;
const STRICT_DATE = { strict: true };
const SCAN_KEYS = new Set(['qr', 'gate', 'list', 'direction', 'nonce', 'scannedAt']);

/**
 * A valid scan as the scanner page sends it, checked by hand (FastCheck: every door scan passes
 * here; anything this does not accept, null for an optional field included, goes through
 * class-validator and is answered exactly as before).
 */
registerFastCheck(ScanDto, (value) => {
  if (!onlyKeys(value, SCAN_KEYS)) return undefined;
  const { qr, gate, list, direction, nonce, scannedAt } = value;
  if (typeof qr !== 'string' || qr.length > 2048) return undefined;
  if (typeof gate !== 'string' || !matches(gate, GATE)) return undefined;
  if (list !== undefined && (typeof list !== 'string' || !matches(list, LIST))) return undefined;
  if (direction !== undefined && direction !== 'in' && direction !== 'out') return undefined;
  if (nonce !== undefined && (typeof nonce !== 'string' || !matches(nonce, NONCE)))
    return undefined;
  if (
    scannedAt !== undefined &&
    (typeof scannedAt !== 'string' || !isDateString(scannedAt, STRICT_DATE))
  )
    return undefined;
  return Object.assign(new ScanDto(), value);
});
