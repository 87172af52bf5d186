// Export to ONNX and TensorFlow.js: the metadata contract, the inference graph,
// the two writers, running exported models, and the checked export of a run.
export * from './metadata.js';
export { Graph, type GraphNode, type Initializer } from './graph.js';
export { graphFromModel, INPUT_NAME, OUTPUT_NAMES, type GraphOptions } from './fromModel.js';
export { foldBatchNorms } from './fold.js';
export { ExportError, registerEmitter, type Emitter } from './emitters.js';
export { writeOnnx, ONNX_OPSET, ONNX_IR_VERSION } from './onnx.js';
export { readOnnxMetadataProps, readOnnxSemiferMetadata } from './onnxMetadata.js';
export { writeTfjs, TFJS_SHARD, type TfjsModel } from './tfjs.js';
export { inputFromPixels } from './preprocess.js';
export { runOnnx, type ExportedOutputs } from './runOnnx.js';
export { runTfjs, runTfjsProbabilities, loadTfjsFolder, folderHandler, loadTf, type TfBackend } from './runTfjs.js';
export { humanCompat, humanClassIndex, HUMAN_RGB_INPUT, COMPAT_TARGETS, CompatError, type CompatTarget, type CompatAdapter } from './humanCompat.js';
export { semiferOutputs, maxAbsDiff } from './compare.js';
export { checkImagesForRun, generatedImages, type CheckImages } from './checkImages.js';
export { exportModel, exportRun, exportMetadata, ExportCheckError, EXPORT_FORMATS, CHECK_TOLERANCE, type ExportFormat, type ExportOptions, type ExportResult } from './exportModel.js';
