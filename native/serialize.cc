// PyTorch checkpoints (torch.save's zip format) through LibTorch's own unpickler.
// The result crosses to JS as plain values; dicts as { $dict: [[key, value], …] }
// so that non-string keys and insertion order survive. safetensors is read and
// written in TypeScript (it is a JSON header plus raw bytes).
#include "common.h"

#include <torch/serialize.h>

namespace semifer {

static Napi::Value toJs(Napi::Env env, const c10::IValue& v, int depth) {
  if (depth > 64) throw std::runtime_error("checkpoint nests deeper than 64 levels");
  if (v.isTensor()) return wrap(env, v.toTensor());
  if (v.isNone()) return env.Null();
  if (v.isBool()) return Napi::Boolean::New(env, v.toBool());
  if (v.isInt()) return Napi::Number::New(env, static_cast<double>(v.toInt()));
  if (v.isDouble()) return Napi::Number::New(env, v.toDouble());
  if (v.isString()) return Napi::String::New(env, v.toStringRef());
  if (v.isGenericDict()) {
    auto dict = v.toGenericDict();
    auto entries = Napi::Array::New(env, dict.size());
    uint32_t i = 0;
    for (const auto& kv : dict) {
      auto pair = Napi::Array::New(env, 2);
      pair.Set(0u, toJs(env, kv.key(), depth + 1));
      pair.Set(1u, toJs(env, kv.value(), depth + 1));
      entries.Set(i++, pair);
    }
    auto o = Napi::Object::New(env);
    o.Set("$dict", entries);
    return o;
  }
  if (v.isList() || v.isTuple() || v.isTensorList() || v.isIntList() || v.isDoubleList() || v.isBoolList()) {
    std::vector<c10::IValue> items;
    if (v.isTuple()) {
      for (const auto& e : v.toTupleRef().elements()) items.push_back(e);
    } else {
      for (const auto& e : v.toListRef()) items.push_back(e);
    }
    auto arr = Napi::Array::New(env, items.size());
    for (size_t k = 0; k < items.size(); ++k) arr.Set(static_cast<uint32_t>(k), toJs(env, items[k], depth + 1));
    return arr;
  }
  // Anything else (custom classes, devices, …) is described rather than dropped silently.
  auto o = Napi::Object::New(env);
  o.Set("$unsupported", Napi::String::New(env, v.tagKind()));
  return o;
}

static Napi::Value pickleLoad(Args& a) {
  Napi::Value v = a.info()[0];
  if (!v.IsBuffer()) throw ArgError("argument 0 must be a Buffer with the checkpoint's bytes");
  auto buf = v.As<Napi::Buffer<char>>();
  std::vector<char> data(buf.Data(), buf.Data() + buf.Length());
  c10::IValue value = torch::pickle_load(data);
  return toJs(a.info().Env(), value, 0);
}

void registerSerialization(Napi::Env env, Napi::Object exports) {
  defineOp(env, exports, "pickleLoad", [](const Napi::CallbackInfo& info) -> Napi::Value { return guarded(info, "pickleLoad", pickleLoad); });
}

}  // namespace semifer
