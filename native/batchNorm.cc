// Batch normalisation in training mode with a fast backward for channels-last
// float32 CPU tensors. LibTorch 1.13's CPU backward on a channels-last input
// takes about six times as long as on NCHW (31 against 5 ms on 16×64×32×32),
// and the face-pretrained MobileFaceNet runs channels-last with a batch norm
// after each of its 49 convolutions (docs/performance.md). The forward is
// ATen's (native_batch_norm: it also updates the running statistics); the
// backward, with x̂ = (x − μ_c)·σ_c⁻¹ over the M = N·H·W values of channel c:
//   dL/db_c = Σ g          dL/dw_c = Σ g·x̂
//   dL/dx   = w_c·σ_c⁻¹ · (g − Σg/M − x̂·Σ(g·x̂)/M)
// in two passes over rows of C values. Every other case is at::batch_norm.
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

// Per channel: Σ g and Σ g·(x − μ), over `rows` rows of `channels` values, in
// double (M reaches 50,000 at 112 px), each task summing its own block of rows.
void channelSums(const float* x, const float* g, const float* mean, int64_t rows, int64_t channels, std::vector<double>& sumG, std::vector<double>& sumGx) {
  const int64_t tasks = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), rows));
  std::vector<double> partial(static_cast<size_t>(2 * tasks * channels), 0.0);
  at::parallel_for(0, tasks, 1, [&](int64_t t0, int64_t t1) {
    std::vector<float> rowG(static_cast<size_t>(channels)), rowGx(static_cast<size_t>(channels));
    for (int64_t t = t0; t < t1; ++t) {
      double* __restrict pg = partial.data() + 2 * t * channels;
      double* __restrict pgx = pg + channels;
      // Float sums over blocks of 64 rows, then into double: vector speed, double accuracy.
      for (int64_t r0 = rows * t / tasks, end = rows * (t + 1) / tasks; r0 < end; r0 += 64) {
        std::fill(rowG.begin(), rowG.end(), 0.f);
        std::fill(rowGx.begin(), rowGx.end(), 0.f);
        float* __restrict bg = rowG.data();
        float* __restrict bgx = rowGx.data();
        for (int64_t r = r0; r < std::min(end, r0 + 64); ++r) {
          const float* __restrict xr = x + r * channels;
          const float* __restrict gr = g + r * channels;
          for (int64_t c = 0; c < channels; ++c) {
            bg[c] += gr[c];
            bgx[c] += gr[c] * (xr[c] - mean[c]);
          }
        }
        for (int64_t c = 0; c < channels; ++c) {
          pg[c] += bg[c];
          pgx[c] += bgx[c];
        }
      }
    }
  });
  sumG.assign(static_cast<size_t>(channels), 0.0);
  sumGx.assign(static_cast<size_t>(channels), 0.0);
  for (int64_t t = 0; t < tasks; ++t)
    for (int64_t c = 0; c < channels; ++c) {
      sumG[static_cast<size_t>(c)] += partial[static_cast<size_t>(2 * t * channels + c)];
      sumGx[static_cast<size_t>(c)] += partial[static_cast<size_t>((2 * t + 1) * channels + c)];
    }
}

// dx = scale_c · (g − shiftG_c − (x − μ_c)·slope_c), with the per-channel constants precomputed.
void inputGradient(const float* x, const float* g, const float* mean, const float* scale, const float* shiftG, const float* slope, float* dx, int64_t rows, int64_t channels) {
  at::parallel_for(0, rows, 256, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* __restrict xr = x + r * channels;
      const float* __restrict gr = g + r * channels;
      float* __restrict dr = dx + r * channels;
      for (int64_t c = 0; c < channels; ++c) dr[c] = scale[c] * (gr[c] - shiftG[c] - (xr[c] - mean[c]) * slope[c]);
    }
  });
}

struct BatchNormTrain : public torch::autograd::Function<BatchNormTrain> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, const c10::optional<at::Tensor>& runningMean,
                            const c10::optional<at::Tensor>& runningVar, double momentum, double eps) {
    auto [y, mean, invstd] = at::native_batch_norm(x, w, b, runningMean, runningVar, true, momentum, eps);
    ctx->save_for_backward({x, w, mean, invstd});
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor& x = saved[0];
    const at::Tensor w = saved[1].contiguous();
    const at::Tensor mean = saved[2].contiguous();
    const at::Tensor invstd = saved[3].contiguous();
    const at::Tensor g = grads[0].contiguous(at::MemoryFormat::ChannelsLast);
    const int64_t channels = x.size(1), rows = x.numel() / channels;
    std::vector<double> sumG, sumGx;
    channelSums(x.data_ptr<float>(), g.data_ptr<float>(), mean.data_ptr<float>(), rows, channels, sumG, sumGx);
    at::Tensor dw = at::empty({channels}, w.options()), db = at::empty({channels}, w.options());
    std::vector<float> scale(static_cast<size_t>(channels)), shiftG(static_cast<size_t>(channels)), slope(static_cast<size_t>(channels));
    const float* wp = w.data_ptr<float>();
    const float* is = invstd.data_ptr<float>();
    float* dwp = dw.data_ptr<float>();
    float* dbp = db.data_ptr<float>();
    for (int64_t c = 0; c < channels; ++c) {
      const size_t k = static_cast<size_t>(c);
      dwp[c] = static_cast<float>(sumGx[k] * is[c]);
      dbp[c] = static_cast<float>(sumG[k]);
      scale[k] = wp[c] * is[c];
      shiftG[k] = static_cast<float>(sumG[k] / static_cast<double>(rows));
      slope[k] = static_cast<float>(sumGx[k] * is[c] * is[c] / static_cast<double>(rows));  // x̂·Σ(g·x̂)/M = (x − μ)·σ⁻²·Σ(g·(x − μ))/M
    }
    at::Tensor dx = at::empty_like(x, at::MemoryFormat::ChannelsLast);
    inputGradient(x.data_ptr<float>(), g.data_ptr<float>(), mean.data_ptr<float>(), scale.data(), shiftG.data(), slope.data(), dx.data_ptr<float>(), rows, channels);
    return {dx, dw, db, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

bool takesFastPath(const at::Tensor& x, const c10::optional<at::Tensor>& w, const c10::optional<at::Tensor>& b, bool training) {
  const auto cpuFloat = [](const c10::optional<at::Tensor>& t) { return t.has_value() && t->defined() && t->device().is_cpu() && t->scalar_type() == at::kFloat; };
  return training && at::GradMode::is_enabled() && x.dim() == 4 && x.device().is_cpu() && x.scalar_type() == at::kFloat &&
         x.is_contiguous(at::MemoryFormat::ChannelsLast) && !x.is_contiguous() && cpuFloat(w) && cpuFloat(b) && x.numel() > 0;
}

}  // namespace

at::Tensor batchNormFastBackward(const at::Tensor& x, const c10::optional<at::Tensor>& w, const c10::optional<at::Tensor>& b, const c10::optional<at::Tensor>& runningMean,
                                 const c10::optional<at::Tensor>& runningVar, bool training, double momentum, double eps) {
  if (!takesFastPath(x, w, b, training)) return at::batch_norm(x, w, b, runningMean, runningVar, training, momentum, eps, true);
  return BatchNormTrain::apply(x, *w, *b, runningMean, runningVar, momentum, eps);
}

}  // namespace semifer
