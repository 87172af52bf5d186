export { train, TrainingDivergedError, type TrainSummary, type TrainEvents, type StepEvent, type EpochEvent, type TrainOptions } from './trainer.js';
export { defaultConfig, DEFAULT_LR, type TrainConfig } from './config.js';
export { loadCheckpoint } from './checkpoint.js';
export { emaUpdate, emaDecayAt } from './ema.js';
export { trainFolds, type FoldEvents, type TrainFoldsOptions } from './folds.js';
export { planFolds, foldSamples, cutFold, formatsWithSubjects, FoldError, type FoldPlan, type FoldRef } from './foldSplit.js';
export { formatFoldTable, meanStd, type FoldsSummary, type FoldResult, type MeanStd } from './foldSummary.js';
