// The multi-tensor kernels live in the addon; EMA uses them directly like the optimisers do.
export { native } from '../torch/native.js';
export { noGrad } from '../torch/autograd.js';
