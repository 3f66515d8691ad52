import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { LogoType } from './event-branding.entity';

/** Logos are small images at the top of a badge; larger uploads are answered 413. */
export const LOGO_BODY_LIMIT = 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * Why these bytes are not a usable logo of the declared type, or null if they are: the magic
 * bytes must match, a PNG must be whole (every chunk complete, its image data inflating), and
 * pdfkit must be able to open it, so that a bad file is refused now rather than breaking a
 * print job later.
 */
export function logoProblem(bytes: Buffer, type: LogoType): string | null {
  const name = type === 'image/png' ? 'PNG' : 'JPEG';
  const signature = type === 'image/png' ? PNG_SIGNATURE : JPEG_SIGNATURE;
  if (bytes.length < signature.length || !bytes.subarray(0, signature.length).equals(signature)) {
    return `The logo is not a ${name} image`;
  }
  if (type === 'image/png' && !pngIsWhole(bytes)) {
    return 'The logo is a damaged or incomplete PNG image';
  }
  try {
    // pdfkit's types do not describe openImage.
    const doc = new PDFDocument({ autoFirstPage: false }) as unknown as {
      openImage(src: Buffer): { width?: number; height?: number };
    };
    const image = doc.openImage(bytes);
    if (!image.width || !image.height) return `The logo is a ${name} image without a size`;
  } catch {
    return `The logo is a damaged ${name} image`;
  }
  return null;
}

/** Every chunk inside the bytes, IHDR first, IEND last, and the image data a whole zlib stream. */
function pngIsWhole(bytes: Buffer): boolean {
  let offset = PNG_SIGNATURE.length;
  const data: Buffer[] = [];
  let first = true;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > bytes.length) return false;
    if (first && type !== 'IHDR') return false;
    first = false;
    if (type === 'IDAT') data.push(bytes.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') {
      if (data.length === 0) return false;
      try {
        inflateSync(Buffer.concat(data));
        return true;
      } catch {
        return false;
      }
    }
    offset = end;
  }
  return false;
}
