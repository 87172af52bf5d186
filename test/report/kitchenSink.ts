/**
 * Test fixture: the sample Ada-CM run with SCN-style relabel counts added, so a
 * single report exercises every chart. Not a test file itself.
 */
import { sampleReportData, type SampleOptions } from './sampleData.js';
import type { ReportData } from '../../src/report/types.js';

export function fullReportData(options: SampleOptions = {}): ReportData {
  const data = sampleReportData({ method: 'Ada-CM', epochs: 12, stepsPerEpoch: 400, logEvery: 10, ...options });
  for (const row of data.metrics) {
    if (row.kind === 'epoch' && row.epoch >= 4) {
      row.relabelledByClass = [3, 9, 4, 2, 1, 1, 2].map((v) => v + (row.epoch % 3));
      row.relabelled = row.relabelledByClass.reduce((a, b) => a + b, 0);
    }
  }
  return data;
}
