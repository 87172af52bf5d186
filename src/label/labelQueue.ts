/**
 * The state behind `semifer label serve`: the faces to show (the suggestions'
 * order, else the folder's), the classes and the answers so far, with every
 * change written to the labels file before it is acknowledged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SEVEN_CLASSES } from '../data/classes.js';
import { NON_CLASS_ANSWERS, openLabelsFile, readLabelsFile, withAnswer, writeLabelsFile, type LabelAnswer } from '../data/labelsFile.js';
import type { FaceFolder } from './faceFolder.js';
import type { SuggestionsDoc } from './suggest.js';

export interface QueueFace {
  image: string;
  path: string;
  guess?: string;
  probabilities?: number[];
}

export class LabelQueue {
  readonly classes: string[];
  readonly faces: QueueFace[];
  /** Where the order came from, for the page. */
  readonly order: string;
  private answers: LabelAnswer[];

  constructor(readonly folder: FaceFolder, o: { classes?: string[] } = {}) {
    const suggestions = existsSync(folder.suggestionsFile) ? (JSON.parse(readFileSync(folder.suggestionsFile, 'utf8')) as SuggestionsDoc) : undefined;
    // --classes, when given, must agree with an existing file (openLabelsFile says so).
    this.classes = o.classes ?? (existsSync(folder.labelsFile) ? readLabelsFile(folder.labelsFile).classes : suggestions?.classes ?? [...SEVEN_CLASSES]);
    this.answers = openLabelsFile(folder.labelsFile, this.classes).answers;
    const byImage = new Map(folder.faces.map((f) => [f.image, f]));
    if (suggestions && suggestions.classes.join(',') === this.classes.join(',')) {
      this.faces = suggestions.faces.flatMap((s) => {
        const f = byImage.get(s.image);
        return f ? [{ ...f, guess: s.guess, probabilities: s.probabilities }] : [];
      });
      this.order = `${folder.suggestionsFile} (${suggestions.criterion}${suggestions.run ? `, run ${suggestions.run}` : ', cold start'})`;
    } else {
      this.faces = folder.faces.map((f) => ({ ...f }));
      this.order = `${folder.dir} (folder order: no suggestions for these classes; run semifer label suggest)`;
    }
  }

  state(): { classes: string[]; answers: LabelAnswer[]; nonClass: readonly string[]; order: string; labelsFile: string; faces: { image: string; guess?: string; probabilities?: number[] }[] } {
    return {
      classes: this.classes, answers: [...this.answers], nonClass: NON_CLASS_ANSWERS, order: this.order, labelsFile: this.folder.labelsFile,
      faces: this.faces.map((f) => ({ image: f.image, ...(f.guess !== undefined ? { guess: f.guess, probabilities: f.probabilities } : {}) })),
    };
  }

  /** Records an answer (written to disk before returning). */
  answer(index: number, label: string): LabelAnswer[] {
    const face = this.faces[index];
    if (!face) throw new RangeError(`no face ${index} (the queue has ${this.faces.length})`);
    if (!this.classes.includes(label) && !(NON_CLASS_ANSWERS as readonly string[]).includes(label)) {
      throw new RangeError(`'${label}' is neither a class (${this.classes.join(', ')}) nor an answer (${NON_CLASS_ANSWERS.join(', ')})`);
    }
    const next = withAnswer(this.answers, face.image, label);
    writeLabelsFile(this.folder.labelsFile, { classes: this.classes, answers: next });
    this.answers = next;
    return [...next];
  }

  /** Removes the last answer; returns it with the answers left. */
  undo(): { undone: LabelAnswer | null; answers: LabelAnswer[] } {
    const last = this.answers.at(-1);
    if (!last) return { undone: null, answers: [] };
    const next = this.answers.slice(0, -1);
    writeLabelsFile(this.folder.labelsFile, { classes: this.classes, answers: next });
    this.answers = next;
    return { undone: last, answers: [...next] };
  }
}
