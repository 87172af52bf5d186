// LibTorch's autocast switches (mixed precision). Autocast is a thread-local
// dispatch key: while it is on, convolutions and matmuls run in the low
// precision dtype and ops that need range (softmax, losses, batch-norm
// statistics) in float32; weights stay float32 ("master weights").
#include "common.h"

#include <ATen/autocast_mode.h>

namespace semifer {

// setAutocast(deviceType "cpu"|"cuda", enabled, dtype code) -> previous enabled flag.
static Napi::Value setAutocast(Args& a) {
  std::string device = a.str(0);
  bool enabled = a.boolean(1);
  at::ScalarType dtype = a.dtype(2);
  bool prev;
  if (device == "cpu") {
    prev = at::autocast::is_cpu_enabled();
    at::autocast::set_autocast_cpu_dtype(dtype);
    at::autocast::set_cpu_enabled(enabled);
  } else if (device == "cuda") {
    prev = at::autocast::is_enabled();
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
  } else {
    throw ArgError("autocast works on 'cpu' or 'cuda', not '" + device + "'");
  }
  // Entering counts a region; leaving the outermost one frees the cached
  // low-precision weight copies (they belong to one step: the weights change
  // at the optimiser step).
  if (enabled && !prev) at::autocast::increment_nesting();
  if (!enabled && prev && at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  return Napi::Boolean::New(a.info().Env(), prev);
}

void registerAutocast(Napi::Env env, Napi::Object exports) {
  defineOp(env, exports, "setAutocast", [](const Napi::CallbackInfo& info) -> Napi::Value { return guarded(info, "setAutocast", setAutocast); });
}

}  // namespace semifer
