// The type of an upload, decided from its first bytes against an allowlist: images, PDF,
// plain text and the office formats. What the client claims is never used: a file that
// says it is a PDF but is HTML is stored and served as text, and anything not on the
// list is refused. A small magic-number table, because the maintained sniffing library
// (file-type) is ESM-only and this code runs as CommonJS under ts-jest and tsx.

/** How many leading bytes `sniff` looks at (zip archives name their parts early). */
export const SNIFF_BYTES = 64 * 1024;

const startsWith = (head: Buffer, bytes: number[] | string, offset = 0) => {
  const expected = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return head.length >= offset + expected.length && head.subarray(offset, offset + expected.length).equals(expected);
};

const extension = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

const OLE_TYPES: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

const ODF = /^application\/vnd\.oasis\.opendocument\.(text|spreadsheet|presentation)$/;

function zipType(head: Buffer): string | undefined {
  // OpenDocument: the first entry is the uncompressed `mimetype` file.
  if (startsWith(head, 'mimetype', 30)) {
    const type = head.subarray(38, 38 + 60).toString('latin1').match(/^[a-z./-]+/)?.[0] ?? '';
    return ODF.test(type) ? type : undefined;
  }
  // Office Open XML names its main part early in the archive.
  const text = head.toString('latin1');
  if (!text.includes('[Content_Types].xml') && !text.includes('_rels/')) return undefined;
  if (text.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (text.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (text.includes('ppt/')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  return undefined;
}

/** Text is valid UTF-8 without control bytes other than tab, newline, carriage return, form feed. */
function isText(head: Buffer, complete: boolean): boolean {
  // A multi-byte character may be cut at the end of the head; drop up to 3 bytes there.
  for (let cut = 0; cut <= (complete ? 0 : 3); cut++) {
    const part = head.subarray(0, head.length - cut);
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(part);
      return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
    } catch {
      // try a shorter cut
    }
  }
  return false;
}

/**
 * The allowed content type of a file from its first bytes (and, only to tell apart the
 * old office formats and CSV, its name), or undefined when it is not allowed.
 */
export function sniffContentType(head: Buffer, name: string, complete: boolean): string | undefined {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'image/gif';
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return 'image/webp';
  if (startsWith(head, 'ftyp', 4) && ['heic', 'heix', 'mif1', 'msf1'].includes(head.subarray(8, 12).toString('latin1'))) return 'image/heic';
  if (startsWith(head, '%PDF')) return 'application/pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return zipType(head);
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return OLE_TYPES[extension(name)];
  if (head.length > 0 && isText(head, complete)) return extension(name) === 'csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8';
  return undefined;
}
