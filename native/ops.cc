// The op table: one line per ATen call. Argument order follows PyTorch; the
// TypeScript layer (src/torch/) gives these their typed, camelCase face.
// Only calls present in both LibTorch 1.13 (Debian) and 2.x (pip) are used.
#include "common.h"

#include <ATen/ops/_foreach_add_native.h>
#include <ATen/ops/_foreach_addcdiv_native.h>
#include <ATen/ops/_foreach_addcmul_native.h>
#include <ATen/ops/_foreach_div_native.h>
#include <ATen/ops/_foreach_mul_native.h>
#include <ATen/ops/_foreach_sqrt_native.h>

namespace semifer {

// The lazy backend (the device tests' stand-in for a GPU) has no fused
// multi-tensor kernels (in place they fail; the others come back on the CPU);
// there ATen's own slow path loops over the plain ops.
static bool unfused(at::TensorList ts) { return !ts.empty() && ts[0].device().type() == c10::DeviceType::Lazy; }
#define FOREACH_(fused, slow, ...) (unfused(TL(0)) ? at::native::slow(__VA_ARGS__) : at::fused(__VA_ARGS__))

void registerOps(Napi::Env env, Napi::Object exports) {
  // ---- creation -------------------------------------------------------------
  OP(empty, at::empty(IL(0), a.options(1, 2)));
  OP(zeros, at::zeros(IL(0), a.options(1, 2)));
  OP(ones, at::ones(IL(0), a.options(1, 2)));
  OP(full, at::full(IL(0), S(1), a.options(2, 3)));
  OP(arange, at::arange(S(0), S(1), S(2), a.options(3, 4)));
  OP(linspace, at::linspace(S(0), S(1), I(2), a.options(3, 4)));
  // Random factories take an optional private generator last (worker threads use one,
  // so they never draw from the process-wide default that dropout uses).
  OP(rand, at::rand(IL(0), G(3), a.options(1, 2)));
  OP(randn, at::randn(IL(0), G(3), a.options(1, 2)));
  OP(randint, at::randint(I(0), I(1), IL(2), G(5), a.options(3, 4)));
  OP(randperm, at::randperm(I(0), G(3), a.options(1, 2)));
  OP(eye, at::eye(I(0), a.options(1, 2)));
  OP(scalarTensor, at::scalar_tensor(S(0), a.options(1, 2)));
  OP(zerosLike, at::zeros_like(T(0)));
  OP(onesLike, at::ones_like(T(0)));
  OP(fullLike, at::full_like(T(0), S(1)));
  OP(randLike, at::rand(T(0).sizes(), G(1), T(0).options()));
  OP(randnLike, at::randn(T(0).sizes(), G(1), T(0).options()));
  OP(emptyLike, at::empty_like(T(0)));

  // ---- conversion, identity, autograd ----------------------------------------
  OP(toDtype, T(0).to(a.dtype(1)));
  OP(toDevice, T(0).to(c10::Device(a.str(1)), T(0).scalar_type(), B(2)));
  OP(contiguous, T(0).contiguous());
  OP(channelsLast, T(0).contiguous(at::MemoryFormat::ChannelsLast));
  OP(isContiguous, T(0).is_contiguous());
  OP(clone, T(0).clone());
  OP(detach, T(0).detach());
  OP(item, T(0).item());
  OP(numel, static_cast<int64_t>(T(0).numel()));
  OP(requiresGrad, T(0).requires_grad());
  OPI(setRequiresGrad, T(0).requires_grad_(B(1)));
  OP(grad, T(0).grad());
  OP(isLeaf, T(0).is_leaf());
  OP(allFinite, at::isfinite(T(0)).all().item<bool>());

  // ---- elementwise arithmetic -------------------------------------------------
  OP(add, at::add(T(0), T(1), a.isNullish(2) ? at::Scalar(1) : S(2)));
  OP(addScalar, at::add(T(0), S(1)));
  OP(sub, at::sub(T(0), T(1), a.isNullish(2) ? at::Scalar(1) : S(2)));
  OP(subScalar, at::sub(T(0), S(1)));
  OP(rsubScalar, at::rsub(T(0), S(1)));
  OP(mul, at::mul(T(0), T(1)));
  OP(mulScalar, at::mul(T(0), S(1)));
  OP(div, at::div(T(0), T(1)));
  OP(divScalar, at::div(T(0), S(1)));
  OP(rdivScalar, at::reciprocal(T(0)).mul(S(1)));
  OP(remainderScalar, at::remainder(T(0), S(1)));
  OP(floorDivide, at::div(T(0), T(1), "floor"));
  OP(neg, at::neg(T(0)));
  OP(abs, at::abs(T(0)));
  OP(sign, at::sign(T(0)));
  OP(exp, at::exp(T(0)));
  OP(log, at::log(T(0)));
  OP(log1p, at::log1p(T(0)));
  OP(sqrt, at::sqrt(T(0)));
  OP(rsqrt, at::rsqrt(T(0)));
  OP(reciprocal, at::reciprocal(T(0)));
  OP(square, at::mul(T(0), T(0)));
  OP(pow, at::pow(T(0), S(1)));
  OP(powTensor, at::pow(T(0), T(1)));
  OP(sigmoid, at::sigmoid(T(0)));
  OP(tanh, at::tanh(T(0)));
  OP(relu, at::relu(T(0)));
  OP(leakyRelu, at::leaky_relu(T(0), S(1)));
  OP(prelu, preluFastBackward(T(0), T(1)));
  OP(gelu, at::gelu(T(0)));
  OP(silu, at::silu(T(0)));
  OP(floor, at::floor(T(0)));
  OP(ceil, at::ceil(T(0)));
  OP(round, at::round(T(0)));
  OP(trunc, at::trunc(T(0)));
  OP(clamp, at::clamp(T(0), OS(1), OS(2)));
  OP(clampTensor, at::clamp(T(0), OT(1), OT(2)));
  OP(minimum, at::minimum(T(0), T(1)));
  OP(maximum, at::maximum(T(0), T(1)));
  OP(lerp, at::lerp(T(0), T(1), S(2)));
  OP(matmul, at::matmul(T(0), T(1)));

  // ---- in-place (optimisers, EMA, initialisation; called under noGrad) ------
  OPI(add_, T(0).add_(T(1), a.isNullish(2) ? at::Scalar(1) : S(2)));
  OPI(addScalar_, T(0).add_(S(1)));
  OPI(mul_, T(0).mul_(T(1)));
  OPI(mulScalar_, T(0).mul_(S(1)));
  OPI(copy_, T(0).copy_(T(1)));
  OPI(zero_, T(0).zero_());
  OPI(fill_, T(0).fill_(S(1)));
  OPI(uniform_, T(0).uniform_(D(1), D(2), G(3)));
  OPI(normal_, T(0).normal_(D(1), D(2), G(3)));
  OPI(clamp_, T(0).clamp_(OS(1), OS(2)));
  OPI(lerp_, T(0).lerp_(T(1), S(2)));
  OPI(maskedFill_, T(0).masked_fill_(T(1), S(2)));
  OPI(indexPut_, T(0).index_put_(a.optTensorList(1), T(2), B(3)));

  // ---- reductions -------------------------------------------------------------
  OP(sumAll, at::sum(T(0)));
  OP(sum, at::sum(T(0), IL(1), B(2)));
  OP(meanAll, at::mean(T(0)));
  OP(mean, at::mean(T(0), IL(1), B(2)));
  OP(maxAll, at::max(T(0)));
  OP(maxDim, at::max(T(0), I(1), B(2)));
  OP(minAll, at::min(T(0)));
  OP(minDim, at::min(T(0), I(1), B(2)));
  OP(argmax, at::argmax(T(0), OI(1), B(2)));
  OP(argmin, at::argmin(T(0), OI(1), B(2)));
  OP(topk, at::topk(T(0), I(1), I(2), B(3), B(4)));
  OP(sort, at::sort(T(0), I(1), B(2)));
  OP(argsort, at::argsort(T(0), I(1), B(2)));
  OP(stdAll, at::std(T(0), B(1)));
  OP(std, at::std(T(0), IL(1), B(2), B(3)));
  OP(varAll, at::var(T(0), B(1)));
  OP(var, at::var(T(0), IL(1), B(2), B(3)));
  OP(logsumexp, at::logsumexp(T(0), IL(1), B(2)));
  OP(norm, at::norm(T(0), OS(1), IL(2), B(3)));
  OP(normAll, at::norm(T(0), S(1)));
  OP(cumsum, at::cumsum(T(0), I(1)));
  OP(prod, at::prod(T(0), I(1), B(2)));
  OP(any, at::any(T(0)));
  OP(all, at::all(T(0)));
  OP(softmax, at::softmax(T(0), I(1)));
  OP(logSoftmax, at::log_softmax(T(0), I(1)));

  // ---- comparisons and masks ---------------------------------------------------
  OP(eq, at::eq(T(0), T(1)));
  OP(ne, at::ne(T(0), T(1)));
  OP(lt, at::lt(T(0), T(1)));
  OP(le, at::le(T(0), T(1)));
  OP(gt, at::gt(T(0), T(1)));
  OP(ge, at::ge(T(0), T(1)));
  OP(eqScalar, at::eq(T(0), S(1)));
  OP(neScalar, at::ne(T(0), S(1)));
  OP(ltScalar, at::lt(T(0), S(1)));
  OP(leScalar, at::le(T(0), S(1)));
  OP(gtScalar, at::gt(T(0), S(1)));
  OP(geScalar, at::ge(T(0), S(1)));
  OP(logicalAnd, at::logical_and(T(0), T(1)));
  OP(logicalOr, at::logical_or(T(0), T(1)));
  OP(logicalNot, at::logical_not(T(0)));
  OP(isnan, at::isnan(T(0)));
  OP(isfinite, at::isfinite(T(0)));
  OP(where, at::where(T(0), T(1), T(2)));
  OP(maskedFill, at::masked_fill(T(0), T(1), S(2)));
  OP(maskedSelect, at::masked_select(T(0), T(1)));
  OP(nonzero, at::nonzero(T(0)));

  // ---- indexing and shape --------------------------------------------------------
  OP(gather, at::gather(T(0), I(1), T(2)));
  OP(scatter, at::scatter(T(0), I(1), T(2), T(3)));
  OP(scatterAdd, at::scatter_add(T(0), I(1), T(2), T(3)));
  OP(indexSelect, at::index_select(T(0), I(1), T(2)));
  OP(index, at::index(T(0), a.optTensorList(1)));
  OP(narrow, at::narrow(T(0), I(1), I(2), I(3)));
  OP(select, at::select(T(0), I(1), I(2)));
  OP(slice, at::slice(T(0), I(1), OI(2), OI(3), I(4)));
  OP(cat, at::cat(TL(0), I(1)));
  OP(stack, at::stack(TL(0), I(1)));
  OP(split, at::split(T(0), I(1), I(2)));
  OP(chunk, at::chunk(T(0), I(1), I(2)));
  OP(reshape, at::reshape(T(0), IL(1)));
  OP(view, T(0).view(IL(1)));
  OP(permute, T(0).permute(IL(1)));
  OP(transpose, at::transpose(T(0), I(1), I(2)));
  OP(flatten, at::flatten(T(0), I(1), I(2)));
  OP(squeeze, at::squeeze(T(0), I(1)));
  OP(squeezeAll, at::squeeze(T(0)));
  OP(unsqueeze, at::unsqueeze(T(0), I(1)));
  OP(expand, T(0).expand(IL(1)));
  OP(asStrided, at::as_strided(T(0), IL(1), IL(2), I(3)));
  OP(repeat, T(0).repeat(IL(1)));
  OP(flip, at::flip(T(0), IL(1)));
  OP(roll, at::roll(T(0), IL(1), IL(2)));
  OP(tril, at::tril(T(0), I(1)));
  OP(oneHot, at::one_hot(T(0), I(1)));
  OP(histc, at::histc(T(0), I(1), S(2), S(3)));
  OP(bincount, at::bincount(T(0), OT(1), I(2)));

  // ---- neural-network functions ------------------------------------------------------
  OP(conv2d, at::conv2d(T(0), T(1), OT(2), IL(3), IL(4), IL(5), I(6)));
  OP(batchNorm, batchNormFastBackward(T(0), OT(1), OT(2), OT(3), OT(4), B(5), D(6), D(7)));
  OP(layerNorm, at::layer_norm(T(0), IL(1), OT(2), OT(3), D(4), true));
  OP(maxPool2d, at::max_pool2d(T(0), IL(1), IL(2), IL(3), IL(4), B(5)));
  OP(avgPool2d, at::avg_pool2d(T(0), IL(1), IL(2), IL(3), B(4), B(5)));
  OP(adaptiveAvgPool2d, at::adaptive_avg_pool2d(T(0), IL(1)));
  OP(linear, at::linear(T(0), T(1), OT(2)));
  OP(dropout, at::dropout(T(0), D(1), B(2)));
  OP(featureDropout, at::feature_dropout(T(0), D(1), B(2)));
  OP(crossEntropy, at::cross_entropy_loss(T(0), T(1), OT(2), I(3), I(4), D(5)));
  OP(nllLoss, at::nll_loss(T(0), T(1), OT(2), I(3), I(4)));
  OP(mseLoss, at::mse_loss(T(0), T(1), I(2)));
  OP(bceWithLogits, at::binary_cross_entropy_with_logits(T(0), T(1), OT(2), OT(3), I(4)));
  OP(affineGrid, at::affine_grid_generator(T(0), IL(1), B(2)));
  OP(gridSample, at::grid_sampler(T(0), T(1), I(2), I(3), B(4)));
  OP(upsampleBilinear2d, at::upsample_bilinear2d(T(0), IL(1), B(2), c10::nullopt, c10::nullopt));
  OP(upsampleNearest2d, at::upsample_nearest2d(T(0), IL(1), c10::nullopt, c10::nullopt));
  OP(upsampleBicubic2d, at::upsample_bicubic2d(T(0), IL(1), B(2), c10::nullopt, c10::nullopt));
  OP(constantPad, at::constant_pad_nd(T(0), IL(1), S(2)));
  OP(reflectionPad2d, at::reflection_pad2d(T(0), IL(1)));
  OP(replicationPad2d, at::replication_pad2d(T(0), IL(1)));

  // ---- multi-tensor kernels (optimisers, EMA) ---------------------------------------
  OPI(foreachAddList_, FOREACH_(_foreach_add_, foreach_tensor_add_list_kernel_slow_, TL(0), TL(1), S(2)));
  OPI(foreachAddScalar_, FOREACH_(_foreach_add_, foreach_tensor_add_scalar_kernel_slow_, TL(0), S(1)));
  OPI(foreachMulScalar_, FOREACH_(_foreach_mul_, foreach_tensor_mul_scalar_kernel_slow_, TL(0), S(1)));
  OPI(foreachDivScalar_, FOREACH_(_foreach_div_, foreach_tensor_div_scalar_kernel_slow_, TL(0), S(1)));
  OPI(foreachAddcmul_, FOREACH_(_foreach_addcmul_, foreach_tensor_addcmul_scalar_slow_, TL(0), TL(1), TL(2), S(3)));
  OPI(foreachAddcdiv_, FOREACH_(_foreach_addcdiv_, foreach_tensor_addcdiv_scalar_slow_, TL(0), TL(1), TL(2), S(3)));
  OP(foreachAddList, FOREACH_(_foreach_add, foreach_tensor_add_list_kernel_slow, TL(0), TL(1), S(2)));
  OP(foreachSqrt, FOREACH_(_foreach_sqrt, foreach_tensor_sqrt_slow, TL(0)));
}

}  // namespace semifer
