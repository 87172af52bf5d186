/**
 * Streams a text file line by line with 1-based line numbers. Label files can be
 * hundreds of megabytes (FER2013 is ~300 MB), so they are never read as one
 * string. Lines are split by hand from 1 MiB chunks: node:readline's async
 * iterator costs several microseconds per line, which dominated label reading.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface TextLine {
  /** The line without its terminator ('\n' or '\r\n') and without a leading BOM. */
  text: string;
  /** 1-based line number in the file. */
  line: number;
}

/** Lines of a file, in batches (one per chunk read). */
export async function* readTextLineBatches(file: string): AsyncGenerator<TextLine[]> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder('utf8'); // keeps multi-byte characters split across chunks intact
  let carry = '';
  let line = 0;
  const take = (text: string, batch: TextLine[]): void => {
    line++;
    let t = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    // Windows tools often write a BOM; it would otherwise stick to the first column name.
    if (line === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    batch.push({ text: t, line });
  };
  try {
    for await (const chunk of stream) {
      const text = carry + decoder.write(chunk as Buffer);
      const batch: TextLine[] = [];
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        take(text.slice(start, nl), batch);
        start = nl + 1;
      }
      carry = text.slice(start);
      if (batch.length > 0) yield batch;
    }
    const rest = carry + decoder.end();
    if (rest.length > 0) {
      const batch: TextLine[] = [];
      take(rest, batch);
      yield batch;
    }
  } finally {
    stream.destroy();
  }
}

export async function* readTextLines(file: string): AsyncGenerator<TextLine> {
  for await (const batch of readTextLineBatches(file)) yield* batch;
}

/** Splits a whitespace-separated line into fields (any run of spaces/tabs separates). */
export function splitWhitespace(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/);
}
