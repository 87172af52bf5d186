// PReLU with a fast backward on the CPU. LibTorch 1.13's prelu_backward is a
// scalar loop that branches on the sign of x, a coin flip, so it mispredicts on
// every other element: in a 64-px MobileFaceNet training step its 17 PReLUs
// cost about a fifth of the time (docs/performance.md). The forward is ATen's; the backward here is
//   dL/dx = g            where x > 0,  a_c · g  elsewhere
//   dL/da_c = Σ x · g    over the positions of channel c where x ≤ 0
// in one pass over float32 CPU tensors (channels-last or contiguous), and the
// same formula in ATen ops elsewhere (GPU, other dtypes, a single slope).
#include "common.h"

#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <algorithm>
#include <vector>

// The loops below are written to vectorise (no branch, no aliasing); GCC does that at -O3 only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

namespace semifer {

namespace {

// One pass for x, g contiguous in `rows` rows of `channels` values (channels-last:
// a row is a pixel) or `planes` planes of `plane` values (NCHW: a plane is one
// channel of one image). Each task sums its own slope gradient; the sums are added after.
void backwardRows(const float* x, const float* g, const float* __restrict a, float* gx, float* ga, int64_t rows, int64_t channels) {
  const int64_t tasks = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), rows));
  std::vector<float> partial(static_cast<size_t>(tasks * channels), 0.f);
  at::parallel_for(0, tasks, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      float* acc = partial.data() + t * channels;
      for (int64_t r = rows * t / tasks; r < rows * (t + 1) / tasks; ++r) {
        const float* __restrict xr = x + r * channels;
        const float* __restrict gr = g + r * channels;
        float* __restrict gxr = gx + r * channels;
        for (int64_t c = 0; c < channels; ++c) {
          const float neg = static_cast<float>(xr[c] <= 0.f);  // arithmetic, not a branch: the sign is a coin flip
          gxr[c] = gr[c] * (neg * a[c] + (1.f - neg));  // exactly a or 1
          acc[c] += neg * xr[c] * gr[c];
        }
      }
    }
  });
  for (int64_t t = 0; t < tasks; ++t)
    for (int64_t c = 0; c < channels; ++c) ga[c] += partial[static_cast<size_t>(t * channels + c)];
}

void backwardPlanes(const float* x, const float* g, const float* a, float* gx, float* ga, int64_t planes, int64_t plane, int64_t channels) {
  std::vector<float> perPlane(static_cast<size_t>(planes), 0.f);
  at::parallel_for(0, planes, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const float slope = a[p % channels];
      const float* __restrict xp = x + p * plane;
      const float* __restrict gp = g + p * plane;
      float* __restrict gxp = gx + p * plane;
      float acc = 0.f;
      for (int64_t i = 0; i < plane; ++i) {
        const float neg = static_cast<float>(xp[i] <= 0.f);
        gxp[i] = gp[i] * (neg * slope + (1.f - neg));
        acc += neg * xp[i] * gp[i];
      }
      perPlane[static_cast<size_t>(p)] = acc;
    }
  });
  for (int64_t p = 0; p < planes; ++p) ga[p % channels] += perPlane[static_cast<size_t>(p)];
}

// The formula in ATen ops, for every case the loops above do not take.
std::tuple<at::Tensor, at::Tensor> backwardComposed(const at::Tensor& x, const at::Tensor& a, const at::Tensor& g) {
  std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
  if (a.numel() > 1) shape[1] = a.numel();
  const at::Tensor slope = a.reshape(shape);
  const at::Tensor pos = x.gt(0);
  const at::Tensor gx = at::where(pos, g, g.mul(slope));
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < x.dim(); ++d)
    if (a.numel() == 1 || d != 1) dims.push_back(d);
  at::Tensor ga = g.mul(x).masked_fill(pos, 0).sum(dims);
  return {gx, ga.reshape(a.sizes())};
}

struct Prelu : public torch::autograd::Function<Prelu> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, const at::Tensor& a) {
    ctx->save_for_backward({x, a});
    return at::prelu(x, a);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor& x = saved[0];
    const at::Tensor& a = saved[1];
    const at::Tensor& g0 = grads[0];
    const bool fast = x.device().is_cpu() && x.scalar_type() == at::kFloat && g0.scalar_type() == at::kFloat && a.scalar_type() == at::kFloat &&
                      x.dim() == 4 && a.numel() == x.size(1) && a.numel() > 1;
    if (!fast) {
      auto [gx, ga] = backwardComposed(x, a, g0);
      return {gx, ga};
    }
    const int64_t n = x.size(0), channels = x.size(1), plane = x.size(2) * x.size(3);
    const at::Tensor ac = a.contiguous();
    at::Tensor ga = at::zeros({channels}, a.options());
    if (x.is_contiguous(at::MemoryFormat::ChannelsLast)) {
      const at::Tensor g = g0.contiguous(at::MemoryFormat::ChannelsLast);
      at::Tensor gx = at::empty_like(x, at::MemoryFormat::ChannelsLast);
      backwardRows(x.data_ptr<float>(), g.data_ptr<float>(), ac.data_ptr<float>(), gx.data_ptr<float>(), ga.data_ptr<float>(), n * plane, channels);
      return {gx, ga.reshape(a.sizes())};
    }
    const at::Tensor xc = x.contiguous();
    const at::Tensor g = g0.contiguous();
    at::Tensor gx = at::empty_like(xc, at::MemoryFormat::Contiguous);
    backwardPlanes(xc.data_ptr<float>(), g.data_ptr<float>(), ac.data_ptr<float>(), gx.data_ptr<float>(), ga.data_ptr<float>(), n * channels, plane, channels);
    return {gx, ga.reshape(a.sizes())};
  }
};

}  // namespace

// x is N×C×… with one slope per channel (a: C) or one for all (a: 1); ops.cc's `prelu`.
at::Tensor preluFastBackward(const at::Tensor& x, const at::Tensor& a) { return Prelu::apply(x, a); }

}  // namespace semifer
