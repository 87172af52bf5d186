/**
 * Mean Teacher's consistency weight follows what its teacher knows: κ = (acc − 1/C)/(1 − 1/C)
 * from the teacher's accuracy on the validation images (docs/defaults.md), 0 before the
 * first epoch ends, the paper's fixed weight when switched off or without validation images.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMethod, type EpochContext, type MeanTeacher } from '../../src/methods/index.js';
import { teacherTrust } from '../../src/methods/meanTeacher.js';

/** Probabilities (row-major, C = 4) whose argmax is `predicted`. */
function probsFor(predicted: number[]): Float32Array {
  const p = new Float32Array(predicted.length * 4).fill(0.1);
  predicted.forEach((c, i) => (p[i * 4 + c] = 0.7));
  return p;
}

test('κ by hand: 3 of 4 right with 4 classes is (0.75 − 0.25)/0.75 = 2/3; chance or worse is 0; all right is 1', () => {
  const labels = new Int32Array([0, 1, 2, 3]);
  assert.ok(Math.abs(teacherTrust(probsFor([0, 1, 2, 0]), labels, 4) - 2 / 3) < 1e-12);
  assert.equal(teacherTrust(probsFor([1, 0, 3, 2]), labels, 4), 0);
  assert.ok(Math.abs(teacherTrust(probsFor([0, 0, 0, 3]), labels, 4) - 1 / 3) < 1e-12, '2 of 4: (0.5 − 0.25)/0.75');
  assert.equal(teacherTrust(probsFor([0, 1, 2, 3]), labels, 4), 1);
});

function epochContext(held: { probs: Float32Array; labels: Int32Array } | null): EpochContext {
  return {
    epoch: 1, student: {} as never, teacher: {} as never, numClasses: 4,
    predictLabelled: async () => { throw new Error('Mean Teacher must not judge its teacher on the labelled images'); },
    predictValidation: async () => held,
  };
}

test('the method starts with κ = 0, takes κ from the validation images at each epoch end, keeps it across a checkpoint, and the switch restores the fixed weight', async () => {
  const make = (hyper: Record<string, number> = {}) => createMethod('meanteacher', { numClasses: 4, labels: new Int32Array([0, 1, 2, 3]), hyper }) as MeanTeacher;
  const mt = make();
  assert.equal(mt.trust, 0, 'no consistency before the teacher has been judged once');
  const out = await mt.onEpochEnd(epochContext({ probs: probsFor([0, 1, 2, 0]), labels: new Int32Array([0, 1, 2, 3]) }));
  assert.ok(Math.abs(mt.trust - 2 / 3) < 1e-12);
  assert.deepEqual(Object.keys(out), ['consistencyTrust']);
  const resumed = make();
  resumed.loadState(JSON.parse(JSON.stringify(mt.state())));
  assert.equal(resumed.trust, mt.trust, 'κ survives a checkpoint');
  const noValidation = make();
  await noValidation.onEpochEnd(epochContext(null));
  assert.equal(noValidation.trust, 1, 'without validation images the paper\'s weight');
  const paper = make({ weightFromValidation: 0 });
  assert.equal(paper.trust, 1);
  assert.deepEqual(await paper.onEpochEnd(epochContext({ probs: probsFor([1, 0, 3, 2]), labels: new Int32Array([0, 1, 2, 3]) })), {});
  assert.equal(paper.trust, 1);
});
