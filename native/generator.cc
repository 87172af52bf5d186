// Private CPU random generators. LibTorch's default CPU generator is one per
// process: a data-loading worker thread that drew from it would interleave with
// the training thread's dropout and break determinism, so workers get their own.
#include "common.h"

#include <ATen/CPUGeneratorImpl.h>

namespace semifer {

constexpr uint32_t kGeneratorMagic = 0x6e4e7a70;

struct GeneratorHolder {
  uint32_t magic = kGeneratorMagic;
  at::Generator gen;
};

static GeneratorHolder* generatorOf(const Napi::Value& v) {
  if (!v.IsExternal()) return nullptr;
  auto* g = v.As<Napi::External<GeneratorHolder>>().Data();
  return (g && g->magic == kGeneratorMagic) ? g : nullptr;
}

c10::optional<at::Generator> Args::generator(size_t i) {
  if (isNullish(i)) return c10::nullopt;
  GeneratorHolder* g = generatorOf(info_[i]);
  if (!g) bad(i, "a random generator");
  return g->gen;
}

static Napi::Value generatorNew(Args& a) {
  auto* g = new GeneratorHolder();
  g->gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(a.f64(0)));
  return Napi::External<GeneratorHolder>::New(a.info().Env(), g, [](Napi::Env, GeneratorHolder* g) { delete g; });
}

static at::Generator& gen(Args& a) {
  GeneratorHolder* g = generatorOf(a.info()[0]);
  if (!g) throw ArgError("argument 0 must be a random generator");
  return g->gen;
}

static Napi::Value generatorSeed(Args& a) {
  at::Generator& g = gen(a);
  std::lock_guard<std::mutex> lock(g.mutex());
  g.set_current_seed(static_cast<uint64_t>(a.f64(1)));
  return a.info().Env().Undefined();
}

static Napi::Value generatorGetState(Args& a) {
  at::Generator& g = gen(a);
  std::lock_guard<std::mutex> lock(g.mutex());
  return wrap(a.info().Env(), g.get_state());
}

static Napi::Value generatorSetState(Args& a) {
  at::Generator& g = gen(a);
  std::lock_guard<std::mutex> lock(g.mutex());
  g.set_state(a.tensor(1));
  return a.info().Env().Undefined();
}

#define GFN(name, body) defineOp(env, exports, name, [](const Napi::CallbackInfo& info) -> Napi::Value { return guarded(info, name, body); })

void registerGenerators(Napi::Env env, Napi::Object exports) {
  GFN("generatorNew", generatorNew);
  GFN("generatorSeed", generatorSeed);
  GFN("generatorGetState", generatorGetState);
  GFN("generatorSetState", generatorSetState);
}

}  // namespace semifer
