/**
 * FERPlus: new labels for FER2013's images. `fer2013new.csv` (`Usage, Image name,
 * neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown,
 * NF`: ten annotators' votes) has one row per fer2013.csv row, in the same order;
 * pixels come from fer2013.csv. Both files are streamed side by side.
 *
 * Label rule (this project's, documented): plurality over the ten vote columns,
 * ordered as the canonical classes then unknown, NF; ties go to the first in that
 * order (so an emotion beats unknown/NF on a tie), and every tie between emotions
 * is counted in `notes`. A row is skipped (a Problem) when the winner is unknown
 * or NF, or when no annotator voted for any of the 8 emotions. This is the
 * plain majority vote, not the FERPlus authors' stricter ">50 % of votes" rule.
 * `labelMode: 'soft'` also stores the vote distribution over the task's classes.
 */
import { join } from 'node:path';
import { EIGHT_CLASSES, SEVEN_CLASSES } from '../classes.js';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { expectColumnCount, locateColumns, readCsvRecords } from './csv.js';
import { FER2013_SIDE, ferRowId, readFer2013Rows, type Fer2013Row } from './fer2013.js';
import { parseCount } from './fields.js';
import { requireFile, requireRoot } from './files.js';
import type { ClassCount } from './options.js';

export interface FerplusOptions {
  /** Path of fer2013.csv (default <root>/fer2013.csv). */
  fer2013Csv?: string;
  /** Path of fer2013new.csv (default <root>/fer2013new.csv). */
  ferplusCsv?: string;
  /** 'majority' (default) or 'soft' (Sample.soft = normalised votes, label = its argmax). */
  labelMode?: 'majority' | 'soft';
  /** 8 (default) or 7: 7 drops rows whose majority is contempt and ignores contempt votes in soft labels. */
  classes?: ClassCount;
}

/** Vote columns in canonical order, then the two non-emotion columns. */
const VOTE_COLUMNS = ['neutral', 'happiness', 'sadness', 'surprise', 'fear', 'disgust', 'anger', 'contempt', 'unknown', 'NF'] as const;
const USAGE_TO_SPLIT: Record<string, string> = { training: 'train', publictest: 'val', privatetest: 'test' };

export async function readFerplus(root: string, opts: FerplusOptions = {}): Promise<Dataset> {
  if (!opts.fer2013Csv || !opts.ferplusCsv) requireRoot(root, 'FERPlus', 'fer2013.csv and fer2013new.csv');
  const pixelsFile = opts.fer2013Csv ?? join(root, 'fer2013.csv');
  const labelsFile = opts.ferplusCsv ?? join(root, 'fer2013new.csv');
  requireFile(labelsFile, 'the FERPlus label CSV fer2013new.csv (Usage,Image name,neutral,…,NF)');
  requireFile(pixelsFile, 'fer2013.csv (FERPlus takes its pixels from the FER2013 CSV, row by row)');
  const numClasses = opts.classes ?? 8;
  if (numClasses !== 7 && numClasses !== 8) throw new DataError(labelsFile, undefined, `option classes must be 7 or 8, got ${String(numClasses)}`);
  const soft = (opts.labelMode ?? 'majority') === 'soft';
  const b = new DatasetBuilder('ferplus', root, [...(numClasses === 8 ? EIGHT_CLASSES : SEVEN_CLASSES)]);
  b.source(labelsFile);
  b.source(pixelsFile);

  const pixelRows = readFer2013Rows(pixelsFile);
  let cols: Record<(typeof VOTE_COLUMNS)[number] | 'Usage' | 'Image name', number> | undefined;
  let width = 0;
  let index = 0;
  for await (const rec of readCsvRecords(labelsFile)) {
    if (!cols) {
      cols = locateColumns(labelsFile, rec, ['Usage', 'Image name', ...VOTE_COLUMNS] as const);
      width = rec.fields.length;
      continue;
    }
    expectColumnCount(labelsFile, rec, width);
    const next = await pixelRows.next();
    if (next.done) throw new DataError(labelsFile, rec.line, `has more rows than ${pixelsFile} (${index} there): the two files must be row-aligned`);
    const px: Fer2013Row = next.value;
    const usage = rec.fields[cols.Usage]!.trim();
    const split = USAGE_TO_SPLIT[usage.toLowerCase()];
    if (!split) throw new DataError(labelsFile, rec.line, `Usage must be Training, PublicTest or PrivateTest, found '${usage}'`);
    if (split !== px.split) {
      throw new DataError(labelsFile, rec.line, `Usage '${usage}' differs from ${pixelsFile}:${px.line}: the files are not row-aligned`);
    }
    const votes = VOTE_COLUMNS.map((name) => parseCount(labelsFile, rec.line, rec.fields[cols![name]]!, `${name} votes`));
    const id = ferRowId(index);
    index++;

    const winner = pluralityWinner(votes);
    const emotionVotes = votes.slice(0, 8).reduce((s, v) => s + v, 0);
    if (winner.index >= 8 && votes[winner.index]! > 0) {
      b.skip(labelsFile, rec.line, `majority vote is '${VOTE_COLUMNS[winner.index]}'; row skipped`);
      continue;
    }
    if (emotionVotes === 0) {
      b.skip(labelsFile, rec.line, 'no votes on any of the 8 emotions; row skipped');
      continue;
    }
    if (winner.tied) b.note('ferplus: vote tie between emotions broken by canonical class order');
    if (winner.index >= numClasses) {
      b.note('ferplus: majority contempt dropped (7 classes)');
      continue;
    }
    if (typeof px.pixels === 'string') {
      b.skip(pixelsFile, px.line, `${px.pixels}; row skipped`);
      continue;
    }
    const sample = {
      id,
      source: { kind: 'pixels' as const, width: FER2013_SIDE, height: FER2013_SIDE, channels: 1 as const, data: px.pixels },
      label: winner.index,
      ...(soft ? { soft: voteDistribution(votes, numClasses) } : {}),
    };
    b.add(split, sample, { file: labelsFile, line: rec.line });
  }
  if (!cols) throw new DataError(labelsFile, undefined, `empty file: expected the header Usage,Image name,${VOTE_COLUMNS.join(',')}`);
  const extra = await pixelRows.next();
  if (!extra.done) {
    await pixelRows.return(undefined);
    throw new DataError(pixelsFile, extra.value.line, `has more rows than ${labelsFile} (${index}): the two files must be row-aligned`);
  }
  return b.finish({ expected: 'rows of fer2013new.csv with an emotion majority' });
}

/** Index of the largest vote (first one on ties) and whether another emotion column tied with it. */
export function pluralityWinner(votes: readonly number[]): { index: number; tied: boolean } {
  let index = 0;
  for (let i = 1; i < votes.length; i++) if (votes[i]! > votes[index]!) index = i;
  let tied = false;
  if (index < 8) for (let i = index + 1; i < 8; i++) if (votes[i] === votes[index]) tied = true;
  return { index, tied };
}

/** Votes over the first `numClasses` emotion columns, normalised to sum to 1. */
function voteDistribution(votes: readonly number[], numClasses: number): Float32Array {
  const out = new Float32Array(numClasses);
  let sum = 0;
  for (let c = 0; c < numClasses; c++) sum += votes[c]!;
  for (let c = 0; c < numClasses; c++) out[c] = votes[c]! / sum;
  return out;
}
