// LibTorch's lazy TorchScript backend (device "lazy"), used by the tests to
// prove on a machine without a GPU that every tensor a training step creates
// lives on the model's device: an op that mixes a lazy tensor with a CPU one
// stops the process with "Input tensor is not a lazy tensor", as CUDA would
// refuse it with "Expected all tensors to be on the same device".
#include "common.h"

#if __has_include(<torch/csrc/lazy/ts_backend/ts_backend_impl.h>)
#include <torch/csrc/lazy/ts_backend/ts_backend_impl.h>
#define SEMIFER_HAS_LAZY 1
#endif

namespace semifer {

static Napi::Value initLazyBackend(Args& a) {
#ifdef SEMIFER_HAS_LAZY
  // Idempotent: registering the backend twice would replace it mid-run.
  static bool done = false;
  if (!done) {
    torch::lazy::InitTorchScriptBackend();
    done = true;
  }
  return a.info().Env().Undefined();
#else
  throw ArgError("this LibTorch build has no lazy TorchScript backend (torch/csrc/lazy/ts_backend)");
#endif
}

void registerLazyDevice(Napi::Env env, Napi::Object exports) {
  defineOp(env, exports, "initLazyBackend", [](const Napi::CallbackInfo& info) -> Napi::Value { return guarded(info, "initLazyBackend", initLazyBackend); });
}

}  // namespace semifer
