// Module init, tensor handles and their memory accounting, argument decoding,
// error translation, and the non-math entry points (creation, typed-array I/O,
// autograd switches, devices, threads, random state).
#include "common.h"

#include <torch/cuda.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

#include <cmath>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <climits>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace semifer {

// Entry points with their own files (only init() below calls them).
void registerAutocast(Napi::Env env, Napi::Object exports);
void registerLazyDevice(Napi::Env env, Napi::Object exports);
void registerDistributed(Napi::Env env, Napi::Object exports);

EnvData& envData(Napi::Env env) { return *env.GetInstanceData<EnvData>(); }

const char* dtypeName(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kHalf: return "float16";
    case at::kBFloat16: return "bfloat16";
    case at::kLong: return "int64";
    case at::kInt: return "int32";
    case at::kShort: return "int16";
    case at::kChar: return "int8";
    case at::kByte: return "uint8";
    case at::kBool: return "bool";
    default: return c10::toString(t);
  }
}

std::string describe(const at::Tensor& t) {
  if (!t.defined()) return "undefined";
  std::ostringstream s;
  s << dtypeName(t.scalar_type()) << "[";
  for (int64_t d = 0; d < t.dim(); ++d) s << (d ? "," : "") << t.size(d);
  s << "]";
  if (!t.device().is_cpu()) s << "@" << t.device().str();
  return s.str();
}

static int64_t tensorBytes(const at::Tensor& t) {
  return t.defined() ? static_cast<int64_t>(t.numel()) * static_cast<int64_t>(t.element_size()) : 0;
}

// V8 hears of native memory in steps of this size, not tensor by tensor. A training step
// allocates and frees hundreds of MB of activations inside its scopes; reported one tensor at
// a time, each step's rise crossed V8's external-memory limit and started a collection, every
// step: on a MobileFaceNet fine-tuning step at 64 px that cost a third more CPU time (V8's
// marking threads) and a tenth more wall time. Tensors left to the garbage collector still
// reach V8, once they add up to a step (docs/design.md, Memory).
constexpr int64_t kV8ReportStep = int64_t{256} << 20;

static void account(Napi::Env env, int64_t tensors, int64_t bytes) {
  EnvData& d = envData(env);
  d.liveTensors += tensors;
  d.liveBytes += bytes;
  // Tell V8 about native memory so its GC heuristics see it (a safety net; scopes free eagerly).
  const int64_t unreported = d.liveBytes - d.bytesReportedToV8;
  if (unreported >= kV8ReportStep || unreported <= -kV8ReportStep) {
    Napi::MemoryManagement::AdjustExternalMemory(env, unreported);
    d.bytesReportedToV8 = d.liveBytes;
  }
}

Napi::Value wrap(Napi::Env env, const at::Tensor& t) {
  if (!t.defined()) return env.Null();
  auto* h = new Holder();
  h->tensor = t;
  h->reportedBytes = tensorBytes(t);
  account(env, 1, h->reportedBytes);
  return Napi::External<Holder>::New(env, h, [](Napi::Env env, Holder* h) {
    if (h->tensor.defined() || h->reportedBytes) account(env, -1, -h->reportedBytes);
    delete h;
  });
}

Napi::Value wrap(Napi::Env env, const std::vector<at::Tensor>& ts) {
  auto arr = Napi::Array::New(env, ts.size());
  for (size_t i = 0; i < ts.size(); ++i) arr.Set(static_cast<uint32_t>(i), wrap(env, ts[i]));
  return arr;
}

Napi::Value wrap(Napi::Env env, const std::tuple<at::Tensor, at::Tensor>& ts) {
  auto arr = Napi::Array::New(env, 2);
  arr.Set(0u, wrap(env, std::get<0>(ts)));
  arr.Set(1u, wrap(env, std::get<1>(ts)));
  return arr;
}

Napi::Value wrap(Napi::Env env, const at::Scalar& s) {
  if (s.isBoolean()) return Napi::Boolean::New(env, s.toBool());
  if (s.isIntegral(false)) return Napi::Number::New(env, static_cast<double>(s.toLong()));
  return Napi::Number::New(env, s.toDouble());
}

// ---- argument decoding ------------------------------------------------------

void Args::bad(size_t i, const char* expected) const {
  std::ostringstream s;
  s << "argument " << i << " must be " << expected;
  if (i < info_.Length()) {
    auto v = info_[i];
    s << ", got " << (v.IsUndefined() ? "undefined" : v.IsNull() ? "null" : v.IsNumber() ? "number" : v.IsString() ? "string" : v.IsArray() ? "array" : v.IsExternal() ? "tensor" : "object");
  } else {
    s << ", got nothing";
  }
  throw ArgError(s.str());
}

static Holder* holderOf(const Napi::Value& v) {
  if (!v.IsExternal()) return nullptr;
  auto* h = v.As<Napi::External<Holder>>().Data();
  return (h && h->magic == kHolderMagic) ? h : nullptr;
}

at::Tensor& Args::tensor(size_t i) {
  Holder* h = i < info_.Length() ? holderOf(info_[i]) : nullptr;
  if (!h) bad(i, "a tensor");
  if (!h->tensor.defined()) throw ArgError("argument " + std::to_string(i) + " is a disposed tensor");
  return h->tensor;
}

c10::optional<at::Tensor> Args::optTensor(size_t i) {
  if (isNullish(i)) return c10::nullopt;
  return tensor(i);
}

std::vector<at::Tensor>& Args::tensorList(size_t i) {
  if (i >= info_.Length() || !info_[i].IsArray()) bad(i, "an array of tensors");
  auto arr = info_[i].As<Napi::Array>();
  auto& out = tensorLists_.emplace_back();
  out.reserve(arr.Length());
  for (uint32_t k = 0; k < arr.Length(); ++k) {
    Holder* h = holderOf(arr.Get(k));
    if (!h) bad(i, "an array of tensors");
    if (!h->tensor.defined()) throw ArgError("argument " + std::to_string(i) + " holds a disposed tensor at index " + std::to_string(k));
    out.push_back(h->tensor);
  }
  return out;
}

c10::List<c10::optional<at::Tensor>>& Args::optTensorList(size_t i) {
  if (i >= info_.Length() || !info_[i].IsArray()) bad(i, "an array of tensors or nulls");
  auto arr = info_[i].As<Napi::Array>();
  auto& out = optLists_.emplace_back();
  for (uint32_t k = 0; k < arr.Length(); ++k) {
    Napi::Value v = arr.Get(k);
    if (v.IsNull() || v.IsUndefined()) {
      out.push_back(c10::nullopt);
    } else {
      Holder* h = holderOf(v);
      if (!h || !h->tensor.defined()) bad(i, "an array of live tensors or nulls");
      out.push_back(h->tensor);
    }
  }
  return out;
}

at::Scalar Args::scalar(size_t i) {
  if (i < info_.Length() && info_[i].IsBoolean()) return at::Scalar(info_[i].As<Napi::Boolean>().Value());
  if (i >= info_.Length() || !info_[i].IsNumber()) bad(i, "a number");
  double v = info_[i].As<Napi::Number>().DoubleValue();
  // Integral JS numbers act as Python ints do (int tensor + 2 stays int).
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9007199254740992.0) return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

c10::optional<at::Scalar> Args::optScalar(size_t i) {
  if (isNullish(i)) return c10::nullopt;
  return scalar(i);
}

int64_t Args::i64(size_t i) {
  if (i >= info_.Length() || !info_[i].IsNumber()) bad(i, "an integer");
  double v = info_[i].As<Napi::Number>().DoubleValue();
  if (std::floor(v) != v) bad(i, "an integer");
  return static_cast<int64_t>(v);
}

c10::optional<int64_t> Args::optI64(size_t i) {
  if (isNullish(i)) return c10::nullopt;
  return i64(i);
}

double Args::f64(size_t i) {
  if (i >= info_.Length() || !info_[i].IsNumber()) bad(i, "a number");
  return info_[i].As<Napi::Number>().DoubleValue();
}

bool Args::boolean(size_t i) {
  if (i >= info_.Length() || !info_[i].IsBoolean()) bad(i, "a boolean");
  return info_[i].As<Napi::Boolean>().Value();
}

std::vector<int64_t>& Args::ints(size_t i) {
  auto& out = intLists_.emplace_back();
  if (i < info_.Length() && info_[i].IsNumber()) {
    out.push_back(i64(i));
    return out;
  }
  if (i >= info_.Length() || !info_[i].IsArray()) bad(i, "an array of integers");
  auto arr = info_[i].As<Napi::Array>();
  out.reserve(arr.Length());
  for (uint32_t k = 0; k < arr.Length(); ++k) {
    Napi::Value v = arr.Get(k);
    if (!v.IsNumber()) bad(i, "an array of integers");
    double d = v.As<Napi::Number>().DoubleValue();
    if (std::floor(d) != d) bad(i, "an array of integers");
    out.push_back(static_cast<int64_t>(d));
  }
  return out;
}

std::string Args::str(size_t i) {
  if (i >= info_.Length() || !info_[i].IsString()) bad(i, "a string");
  return info_[i].As<Napi::String>().Utf8Value();
}

// dtypes cross as c10::ScalarType codes (stable across LibTorch 1.x and 2.x).
at::ScalarType Args::dtype(size_t i) {
  int64_t code = i64(i);
  switch (static_cast<at::ScalarType>(code)) {
    case at::kByte: case at::kChar: case at::kShort: case at::kInt: case at::kLong:
    case at::kHalf: case at::kFloat: case at::kDouble: case at::kBool: case at::kBFloat16:
      return static_cast<at::ScalarType>(code);
    default:
      throw ArgError("argument " + std::to_string(i) + ": unsupported dtype code " + std::to_string(code));
  }
}

at::TensorOptions Args::options(size_t dtypeIndex, size_t deviceIndex) {
  at::TensorOptions o = at::TensorOptions().dtype(dtype(dtypeIndex));
  if (!isNullish(deviceIndex)) o = o.device(c10::Device(str(deviceIndex)));
  return o;
}

// ---- errors -----------------------------------------------------------------

static std::string describeArgs(const Napi::CallbackInfo& info) {
  std::ostringstream s;
  for (size_t i = 0; i < info.Length(); ++i) {
    if (i) s << ", ";
    Napi::Value v = info[i];
    if (Holder* h = holderOf(v)) {
      s << (h->tensor.defined() ? describe(h->tensor) : "disposed tensor");
    } else if (v.IsArray()) {
      auto arr = v.As<Napi::Array>();
      s << "[";
      for (uint32_t k = 0; k < arr.Length() && k < 4; ++k) {
        Napi::Value e = arr.Get(k);
        if (k) s << ",";
        if (Holder* eh = holderOf(e)) s << describe(eh->tensor);
        else if (e.IsNumber()) s << e.As<Napi::Number>().DoubleValue();
        else s << "?";
      }
      if (arr.Length() > 4) s << ",… " << arr.Length() << " items";
      s << "]";
    } else if (v.IsNumber()) {
      s << v.As<Napi::Number>().DoubleValue();
    } else if (v.IsBoolean()) {
      s << (v.As<Napi::Boolean>().Value() ? "true" : "false");
    } else if (v.IsString()) {
      s << '"' << v.As<Napi::String>().Utf8Value() << '"';
    } else if (v.IsNull() || v.IsUndefined()) {
      s << "none";
    } else {
      s << "?";
    }
  }
  return s.str();
}

static std::string firstLine(const std::string& m) {
  // LibTorch messages carry a C++ backtrace after the first lines; keep the message.
  auto pos = m.find("\nException raised from");
  std::string out = pos == std::string::npos ? m : m.substr(0, pos);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

Napi::Value guarded(const Napi::CallbackInfo& info, const char* op, Napi::Value (*body)(Args&)) {
  Napi::Env env = info.Env();
  std::string message;
  bool typeError = false;
  try {
    Args a(info, op);
    return body(a);
  } catch (const ArgError& e) {
    message = std::string(op) + ": " + e.what();
    typeError = true;
  } catch (const c10::Error& e) {
    message = std::string(op) + "(" + describeArgs(info) + "): " + firstLine(e.what_without_backtrace());
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    message = std::string(op) + "(" + describeArgs(info) + "): " + firstLine(e.what());
  }
  if (typeError) throw Napi::TypeError::New(env, message);
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("op", Napi::String::New(env, op));
  throw err;
}

void defineOp(Napi::Env env, Napi::Object exports, const char* name, Napi::Value (*fn)(const Napi::CallbackInfo&)) {
  exports.Set(name, Napi::Function::New(env, fn, name));
}

// ---- typed arrays in and out ------------------------------------------------

static Napi::Value fromBuffer(Args& a) {
  // fromBuffer(typedArrayOrBuffer, shape, dtype): copies the bytes into a new CPU tensor.
  Napi::Value v = a.info()[0];
  const uint8_t* data = nullptr;
  size_t byteLength = 0;
  if (v.IsTypedArray()) {
    auto ta = v.As<Napi::TypedArray>();
    auto ab = ta.ArrayBuffer();
    data = static_cast<const uint8_t*>(ab.Data()) + ta.ByteOffset();
    byteLength = ta.ByteLength();
  } else if (v.IsArrayBuffer()) {
    auto ab = v.As<Napi::ArrayBuffer>();
    data = static_cast<const uint8_t*>(ab.Data());
    byteLength = ab.ByteLength();
  } else if (v.IsDataView()) {
    auto dv = v.As<Napi::DataView>();
    data = static_cast<const uint8_t*>(dv.ArrayBuffer().Data()) + dv.ByteOffset();
    byteLength = dv.ByteLength();
  } else {
    throw ArgError("argument 0 must be a typed array or ArrayBuffer");
  }
  auto& shape = a.ints(1);
  at::ScalarType dt = a.dtype(2);
  for (int64_t d : shape)
    if (d < 0) throw ArgError("shape has a negative dimension");
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dt));
  size_t need = static_cast<size_t>(t.numel()) * t.element_size();
  if (need != byteLength) {
    throw ArgError("data has " + std::to_string(byteLength) + " bytes but shape " + describe(t) + " needs " + std::to_string(need));
  }
  if (need) std::memcpy(t.data_ptr(), data, need);
  return wrap(a.info().Env(), t);
}

static Napi::Value toBuffer(Args& a) {
  // toBuffer(t): a fresh ArrayBuffer with the tensor's elements (CPU, contiguous, row-major).
  at::Tensor t = a.tensor(0).detach().to(at::kCPU).contiguous();
  size_t n = static_cast<size_t>(t.numel()) * t.element_size();
  auto ab = Napi::ArrayBuffer::New(a.info().Env(), n);
  if (n) std::memcpy(ab.Data(), t.data_ptr(), n);
  return ab;
}

static Napi::Value tensorInfo(Args& a) {
  // info(t) -> { shape, dtype, device, requiresGrad } in one call.
  const at::Tensor& t = a.tensor(0);
  Napi::Env env = a.info().Env();
  auto o = Napi::Object::New(env);
  auto shape = Napi::Array::New(env, t.dim());
  for (int64_t d = 0; d < t.dim(); ++d) shape.Set(static_cast<uint32_t>(d), Napi::Number::New(env, static_cast<double>(t.size(d))));
  o.Set("shape", shape);
  o.Set("dtype", Napi::Number::New(env, static_cast<int>(t.scalar_type())));
  o.Set("device", Napi::String::New(env, t.device().str()));
  o.Set("requiresGrad", Napi::Boolean::New(env, t.requires_grad()));
  return o;
}

static Napi::Value shapeOf(Args& a) {
  const at::Tensor& t = a.tensor(0);
  Napi::Env env = a.info().Env();
  auto shape = Napi::Array::New(env, t.dim());
  for (int64_t d = 0; d < t.dim(); ++d) shape.Set(static_cast<uint32_t>(d), Napi::Number::New(env, static_cast<double>(t.size(d))));
  return shape;
}

static Napi::Value dispose(Args& a) {
  Napi::Value v = a.info()[0];
  Holder* h = holderOf(v);
  if (!h) throw ArgError("argument 0 must be a tensor");
  if (h->tensor.defined()) {
    h->tensor.reset();
    account(a.info().Env(), -1, -h->reportedBytes);
    h->reportedBytes = 0;
  }
  return a.info().Env().Undefined();
}

static Napi::Value memory(Args& a) {
  Napi::Env env = a.info().Env();
  auto o = Napi::Object::New(env);
  o.Set("tensors", Napi::Number::New(env, static_cast<double>(envData(env).liveTensors)));
  o.Set("bytes", Napi::Number::New(env, static_cast<double>(envData(env).liveBytes)));
  // What V8's heuristics count as this isolate's external memory (a change of 0 reads it).
  o.Set("v8ExternalBytes", Napi::Number::New(env, static_cast<double>(Napi::MemoryManagement::AdjustExternalMemory(env, 0))));
  // Bytes the C heap has handed out and not taken back: a native leak grows it step after
  // step, while RSS also moves with the allocator's caching (the memory test needs the difference).
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  struct mallinfo2 mi = mallinfo2();
  o.Set("mallocBytes", Napi::Number::New(env, static_cast<double>(mi.uordblks + mi.hblkhd)));
#endif
  return o;
}

// ---- autograd switches --------------------------------------------------------

static Napi::Value setGradEnabled(Args& a) {
  bool prev = at::GradMode::is_enabled();
  at::GradMode::set_enabled(a.boolean(0));
  return Napi::Boolean::New(a.info().Env(), prev);
}

static Napi::Value backward(Args& a) {
  at::Tensor& t = a.tensor(0);
  auto grad = a.optTensor(1);
  bool retain = a.isNullish(2) ? false : a.boolean(2);
  t.backward(grad.has_value() ? *grad : at::Tensor(), retain);
  return a.info().Env().Undefined();
}

static Napi::Value setGrad(Args& a) {
  at::Tensor& t = a.tensor(0);
  auto g = a.optTensor(1);
  t.mutable_grad() = g.has_value() ? *g : at::Tensor();
  return a.info().Env().Undefined();
}

// ---- runtime ------------------------------------------------------------------

static Napi::Value setNumThreads(Args& a) {
  int64_t n = a.i64(0);
  if (n < 1) throw ArgError("thread count must be at least 1");
  at::set_num_threads(static_cast<int>(n));
  return a.info().Env().Undefined();
}

static Napi::Value manualSeed(Args& a) {
  // Seeds the default CPU generator and every CUDA device's (ATen's own helper,
  // present in LibTorch 1.x and 2.x alike).
  at::manual_seed(static_cast<uint64_t>(a.f64(0)));
  return a.info().Env().Undefined();
}

static Napi::Value getRngState(Args& a) {
  // The CPU generator's full state as a uint8 tensor (for exact resume).
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return wrap(a.info().Env(), gen.get_state());
}

static Napi::Value setRngState(Args& a) {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(a.tensor(0));
  return a.info().Env().Undefined();
}

static Napi::Value cudaSynchronize(Args& a) {
  int64_t device = a.isNullish(0) ? -1 : a.i64(0);
  torch::cuda::synchronize(device);
  return a.info().Env().Undefined();
}

static Napi::Value runtimeInfo(Args& a) {
  Napi::Env env = a.info().Env();
  auto o = Napi::Object::New(env);
  o.Set("torchVersion", Napi::String::New(env, TORCH_VERSION));
  o.Set("numThreads", Napi::Number::New(env, at::get_num_threads()));
  o.Set("cudaAvailable", Napi::Boolean::New(env, torch::cuda::is_available()));
  o.Set("cudaDeviceCount", Napi::Number::New(env, static_cast<double>(torch::cuda::device_count())));
  o.Set("parallelInfo", Napi::String::New(env, at::get_parallel_info()));
  o.Set("mkldnn", Napi::Boolean::New(env, at::hasMKLDNN()));
  return o;
}

// Freed tensor memory stays in the C heap for the next training step. glibc's
// defaults hand every buffer over 32 MiB (and, by the trim rule, the heap's
// freed top) back to the kernel, so each step page-faults its activations in
// again; on the 2-core VM that was half of MobileFaceNet's step time
// (docs/performance.md, "MobileFaceNet against ResNet-18"). The environment's MALLOC_* settings win.
static void keepFreedMemory() {
#if defined(__GLIBC__)
  if (getenv("MALLOC_MMAP_THRESHOLD_") || getenv("MALLOC_TRIM_THRESHOLD_") || getenv("GLIBC_TUNABLES")) return;
  // No mmap for large blocks (mallopt caps M_MMAP_THRESHOLD at 32 MiB, below a
  // batch's larger activations), and a heap top that is not trimmed below 2 GiB.
  if (mallopt(M_MMAP_MAX, 0)) mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

#define FN(name, body) defineOp(env, exports, name, [](const Napi::CallbackInfo& info) -> Napi::Value { return guarded(info, name, body); })

Napi::Object init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData<EnvData>(new EnvData());
  keepFreedMemory();
  FN("fromBuffer", fromBuffer);
  FN("toBuffer", toBuffer);
  FN("info", tensorInfo);
  FN("shape", shapeOf);
  FN("dispose", dispose);
  FN("memory", memory);
  FN("setGradEnabled", setGradEnabled);
  FN("backward", backward);
  FN("setGrad", setGrad);
  FN("setNumThreads", setNumThreads);
  FN("manualSeed", manualSeed);
  FN("getRngState", getRngState);
  FN("setRngState", setRngState);
  FN("cudaSynchronize", cudaSynchronize);
  FN("runtimeInfo", runtimeInfo);
  registerOps(env, exports);
  registerGenerators(env, exports);
  registerAutocast(env, exports);
  registerLazyDevice(env, exports);
  registerDistributed(env, exports);
  return exports;
}

}  // namespace semifer

static Napi::Object InitSemifer(Napi::Env env, Napi::Object exports) { return semifer::init(env, exports); }

NODE_API_MODULE(semifer_native, InitSemifer)
