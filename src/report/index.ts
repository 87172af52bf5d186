/** Public face of the report package: what the CLI and the training loop import. */
export type {
  EpochRow, FaceExample, FaceLists, MetricsRow, ModelScores, ReportData, RunInfo, SkippedLine, StepRow, SummaryMetrics, TsneData,
} from './types.js';
export { renderReportHtml, REPORT_CHARTS } from './renderReport.js';
export { renderCompareHtml, formatCompareTable, compareRows, type CompareRow } from './compare.js';
export { readMetricsJsonl, parseMetricsJsonl, describeSkipped, type MetricsFile } from './metricsJsonl.js';
export { pickFaces, faceListsFromImages, type FacePick, type FacePicks, type ImageBatch } from './faces.js';
export { encodePng, pngDataUri } from './png.js';
export { reportDataLight, reportDataFull, readRunFiles, type RunFiles } from './fromRun.js';
