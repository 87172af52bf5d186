export { ResNet, BasicBlock, Bottleneck, resnet18, resnet50 } from './resnet.js';
export { SmallCnn } from './smallCnn.js';
export { WideResNet, WideBasicBlock, WideGroup, wideResnet28_2, type WideResNetOptions } from './wideResnet.js';
export type { Backbone } from './backbone.js';
export * from './heads.js';
export { FerModel, createModel, ARCHS, HEADS, type Arch, type HeadKind, type FerModelConfig } from './ferModel.js';
export { loadModelFile, saveModelFile, type ModelFileMeta } from './modelFile.js';
