/**
 * Streams a text file line by line with 1-based line numbers. Label files can be
 * hundreds of megabytes (FER2013 is ~300 MB), so they are never read as one string.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface TextLine {
  /** The line without its terminator ('\n' or '\r\n') and without a leading BOM. */
  text: string;
  /** 1-based line number in the file. */
  line: number;
}

export async function* readTextLines(file: string): AsyncGenerator<TextLine> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of rl) {
      line++;
      // Windows tools often write a BOM; it would otherwise stick to the first column name.
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      yield { text, line };
    }
  } finally {
    rl.close();
    stream.destroy();
  }
}

/** Splits a whitespace-separated line into fields (any run of spaces/tabs separates). */
export function splitWhitespace(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/);
}
