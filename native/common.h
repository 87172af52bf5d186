// The thin glue between N-API and ATen shared by every translation unit.
//
// A tensor crosses into JavaScript as a Napi::External<Holder>. All ops are free
// functions `op(handle, ...args)` registered from tables (ops.cc), one line each;
// the typed API with scopes, modules and optimisers lives in TypeScript.
#pragma once

#define NAPI_VERSION 8
#include <napi.h>
#include <ATen/ATen.h>

#include <deque>
#include <string>
#include <vector>

namespace semifer {

// Native bytes and live handles, per Node environment (instance data, not
// statics, so the addon works in worker_threads).
struct EnvData {
  int64_t liveTensors = 0;
  int64_t liveBytes = 0;
  /** The part of liveBytes that V8 has been told of (addon.cc's account()). */
  int64_t bytesReportedToV8 = 0;
};

EnvData& envData(Napi::Env env);

constexpr uint32_t kHolderMagic = 0x5e3ffe12;

struct Holder {
  uint32_t magic = kHolderMagic;
  at::Tensor tensor;
  int64_t reportedBytes = 0;  // what was reported to V8 for this handle
};

// Wraps a tensor in a new JS handle (undefined tensor -> null).
Napi::Value wrap(Napi::Env env, const at::Tensor& t);
Napi::Value wrap(Napi::Env env, const std::vector<at::Tensor>& ts);
Napi::Value wrap(Napi::Env env, const std::tuple<at::Tensor, at::Tensor>& ts);
Napi::Value wrap(Napi::Env env, const at::Scalar& s);
inline Napi::Value wrap(Napi::Env env, bool b) { return Napi::Boolean::New(env, b); }
inline Napi::Value wrap(Napi::Env env, int64_t v) { return Napi::Number::New(env, static_cast<double>(v)); }
inline Napi::Value wrap(Napi::Env env, double v) { return Napi::Number::New(env, v); }

// Human-readable "float32[2,3]" for error messages.
std::string describe(const at::Tensor& t);
const char* dtypeName(at::ScalarType t);

// Raised for bad arguments from JS; turned into a TypeError naming the op.
struct ArgError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Typed access to the arguments of one call. Lists are kept alive here for the
// duration of the call, since ATen takes them as non-owning ArrayRefs.
class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* op) : info_(info), op_(op) {}

  const Napi::CallbackInfo& info() const { return info_; }
  const char* op() const { return op_; }
  size_t size() const { return info_.Length(); }
  bool isNullish(size_t i) const { return i >= info_.Length() || info_[i].IsUndefined() || info_[i].IsNull(); }

  at::Tensor& tensor(size_t i);
  c10::optional<at::Tensor> optTensor(size_t i);
  std::vector<at::Tensor>& tensorList(size_t i);
  c10::List<c10::optional<at::Tensor>>& optTensorList(size_t i);
  at::Scalar scalar(size_t i);
  c10::optional<at::Scalar> optScalar(size_t i);
  int64_t i64(size_t i);
  c10::optional<int64_t> optI64(size_t i);
  double f64(size_t i);
  bool boolean(size_t i);
  std::vector<int64_t>& ints(size_t i);
  std::string str(size_t i);
  at::ScalarType dtype(size_t i);
  at::TensorOptions options(size_t dtypeIndex, size_t deviceIndex);
  // A private random generator (see generator.cc), or nullopt for the default one.
  c10::optional<at::Generator> generator(size_t i);

 private:
  [[noreturn]] void bad(size_t i, const char* expected) const;
  const Napi::CallbackInfo& info_;
  const char* op_;
  std::deque<std::vector<int64_t>> intLists_;
  std::deque<std::vector<at::Tensor>> tensorLists_;
  std::deque<c10::List<c10::optional<at::Tensor>>> optLists_;
};

// Runs one op, turning LibTorch errors into JS Errors that name the op and the
// shapes and dtypes of its tensor arguments. Nothing escapes as a C++ abort.
Napi::Value guarded(const Napi::CallbackInfo& info, const char* op, Napi::Value (*body)(Args&));

// Registration helpers used by the op tables.
using OpBody = Napi::Value (*)(Args&);
void defineOp(Napi::Env env, Napi::Object exports, const char* name, Napi::Value (*fn)(const Napi::CallbackInfo&));

void registerOps(Napi::Env env, Napi::Object exports);
// PReLU whose backward is one pass on the CPU (prelu.cc).
at::Tensor preluFastBackward(const at::Tensor& x, const at::Tensor& a);
// at::batch_norm, with a fast backward for channels-last float32 CPU inputs in training (batchNorm.cc).
at::Tensor batchNormFastBackward(const at::Tensor& x, const c10::optional<at::Tensor>& w, const c10::optional<at::Tensor>& b, const c10::optional<at::Tensor>& runningMean,
                                 const c10::optional<at::Tensor>& runningVar, bool training, double momentum, double eps);
void registerGenerators(Napi::Env env, Napi::Object exports);

}  // namespace semifer

// OP(name, expression): a JS function `name(...)` returning wrap(expression).
// Inside the expression: T(i) tensor, OT(i) optional tensor, TL(i) tensor
// list, S(i) scalar, OS(i) optional scalar, I(i) int64, OI(i) optional int64,
// D(i) double, B(i) bool, IL(i) int list, DT(i) dtype, STR(i) string.
#define SEMIFER_ARG_MACROS                 \
  auto T = [&](size_t i) -> at::Tensor& { return a.tensor(i); }; \
  auto OT = [&](size_t i) { return a.optTensor(i); };            \
  auto TL = [&](size_t i) -> std::vector<at::Tensor>& { return a.tensorList(i); }; \
  auto S = [&](size_t i) { return a.scalar(i); };                \
  auto OS = [&](size_t i) { return a.optScalar(i); };            \
  auto I = [&](size_t i) { return a.i64(i); };                   \
  auto OI = [&](size_t i) { return a.optI64(i); };               \
  auto D = [&](size_t i) { return a.f64(i); };                   \
  auto B = [&](size_t i) { return a.boolean(i); };               \
  auto IL = [&](size_t i) -> at::IntArrayRef { return a.ints(i); }; \
  auto G = [&](size_t i) { return a.generator(i); };            \
  (void)T; (void)OT; (void)TL; (void)S; (void)OS; (void)I; (void)OI; (void)D; (void)B; (void)IL; (void)G;

#define OP(name, ...)                                                                   \
  ::semifer::defineOp(env, exports, #name, [](const Napi::CallbackInfo& info) -> Napi::Value { \
    return ::semifer::guarded(info, #name, [](::semifer::Args& a) -> Napi::Value {       \
      SEMIFER_ARG_MACROS                                                                \
      return ::semifer::wrap(a.info().Env(), (__VA_ARGS__));                            \
    });                                                                                 \
  })

// OPI(name, statement): an in-place op; returns its first argument (the same handle).
#define OPI(name, ...)                                                                  \
  ::semifer::defineOp(env, exports, #name, [](const Napi::CallbackInfo& info) -> Napi::Value { \
    return ::semifer::guarded(info, #name, [](::semifer::Args& a) -> Napi::Value {       \
      SEMIFER_ARG_MACROS                                                                \
      __VA_ARGS__;                                                                      \
      return a.info()[0];                                                               \
    });                                                                                 \
  })
