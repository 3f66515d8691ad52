import { IsDateString, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
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
