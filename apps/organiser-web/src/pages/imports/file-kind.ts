/**
 * What a chosen file is, from its first bytes, before it is uploaded: the import takes CSV text
 * and Excel workbooks (.xlsx); an old .xls, a PDF or a picture deserves a clear word rather than a
 * parser's.
 */
export type FileKind =
  'text' | 'xlsx' | 'xls' | 'ods' | 'pdf' | 'image' | 'zip' | 'binary' | 'empty';

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  signature.every((byte, i) => bytes[i] === byte);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

export function fileKindOf(bytes: Uint8Array, name = ''): FileKind {
  if (bytes.length === 0) return 'empty';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // Office Open XML and OpenDocument files are ZIP archives; their first entry names them.
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
    if (head.includes('xl/') || /\.xlsx$/i.test(name)) return 'xlsx';
    if (head.includes('opendocument.spreadsheet') || /\.ods$/i.test(name)) return 'ods';
    return 'zip';
  }
  // The compound file of Excel 97–2003 (.xls) and other old Office files.
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'xls';
  if (startsWith(bytes, ascii('%PDF'))) return 'pdf';
  if (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || // PNG
    startsWith(bytes, [0xff, 0xd8, 0xff]) || // JPEG
    startsWith(bytes, ascii('GIF8')) ||
    (startsWith(bytes, ascii('RIFF')) && startsWith(bytes.subarray(8), ascii('WEBP')))
  ) {
    return 'image';
  }
  // UTF-16 text (Excel's "Unicode text") starts with its byte order mark.
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return 'binary';
  // Text has no NUL bytes and few control characters other than tab, CR and LF.
  let control = 0;
  for (const byte of bytes) {
    if (byte === 0) return 'binary';
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  return control > bytes.length / 100 ? 'binary' : 'text';
}

/** Reads the first bytes of a file (enough to tell its kind). */
export async function sniffFile(file: File): Promise<FileKind> {
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  return fileKindOf(head, file.name);
}
