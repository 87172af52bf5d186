// The model the browser test serves. Provisional: the hand-written fixture,
// until the TF.js exporter lands.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { writeTinyTfjsModel } from './tinyTfjsModel.js';

export async function exportedModelForTest(dir: string, _t: TestContext): Promise<string> {
  return writeTinyTfjsModel(join(dir, 'model-tfjs'));
}
