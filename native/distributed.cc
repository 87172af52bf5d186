// One c10d process group per process (as torch.distributed's default group):
// TCPStore rendezvous, Gloo on CPU (and on CUDA tensors), NCCL where LibTorch
// was built with it. Collectives block the calling thread until done or the
// group's timeout passes; a dead peer surfaces as a thrown error, never a hang.
// Bucketing, sharding and the training glue live in src/distributed/.
#include "common.h"

// Without Gloo's headers (libgloo-dev) the addon still builds; distInit says what to install.
#if __has_include(<gloo/rendezvous/store.h>)
#define SEMIFER_HAS_C10D 1
#include <torch/autograd.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
// NCCL: a CUDA LibTorch (pip's torch) whose NCCL header is on the include path.
#if defined(SEMIFER_WITH_CUDA) && __has_include(<nccl.h>) && __has_include(<torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>)
#define USE_C10D_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

#include <chrono>
#include <cstdlib>

namespace semifer {

#ifdef SEMIFER_HAS_C10D
namespace {

struct Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroup> pg;
  std::chrono::milliseconds timeout{0};
  std::string backend;
};

Group& group() {
  static Group g;
  return g;
}

c10d::ProcessGroup& pg(const char* op) {
  if (!group().pg) throw ArgError(std::string(op) + " needs a process group: call distInit first");
  return *group().pg;
}

// What every failed collective's message starts with, also when it surfaces
// through another op (a synchronised batch norm's backward): PEER_LOST in
// src/distributed/processGroup.ts.
constexpr const char* kPeerLost = "[c10d peer lost] ";

// Waits with the group's timeout; Gloo reports a vanished peer as an exception here.
void wait(const c10::intrusive_ptr<c10d::Work>& w) {
  try {
    if (!w->wait(group().timeout)) std::rethrow_exception(w->exception());
  } catch (const c10::Error& e) {
    throw std::runtime_error(kPeerLost + std::string(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    throw std::runtime_error(kPeerLost + std::string(e.what()));
  }
}

c10d::ReduceOp reduceOp(const std::string& name) {
  if (name == "sum") return c10d::ReduceOp::SUM;
  if (name == "max") return c10d::ReduceOp::MAX;
  if (name == "min") return c10d::ReduceOp::MIN;
  throw ArgError("reduce op '" + name + "': expected sum, max or min");
}

// The Gloo transport's address: GLOO_SOCKET_IFNAME as torch.distributed reads
// it; a loopback master means a one-machine run, bound to 127.0.0.1 so no
// network interface is needed; otherwise this host's name.
std::shared_ptr<::gloo::transport::Device> glooDevice(const std::string& master) {
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME")) return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  if (master == "localhost" || master.rfind("127.", 0) == 0) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

// distInit(masterAddr, masterPort, rank, worldSize, timeoutMs, backend, agentPrefix):
// rank 0 serves the TCPStore and every rank waits there for the others (up to the
// timeout); with agentPrefix (a string) the launcher's agent serves it, as torchrun's
// does (TORCHELASTIC_USE_AGENT_STORE), and every rank's keys go under that prefix.
static Napi::Value distInit(Args& a) {
  if (group().pg) throw ArgError("a process group exists already in this process");
  const std::string host = a.str(0);
  const int64_t port = a.i64(1), rank = a.i64(2), world = a.i64(3);
  const std::chrono::milliseconds timeout(a.i64(4));
  const std::string backend = a.str(5);
  if (port < 1 || port > 65535) throw ArgError("master port must be in 1..65535");
  if (world < 1 || rank < 0 || rank >= world) throw ArgError("rank must be in 0..worldSize-1");
  const bool agentStore = !a.isNullish(6);
  c10d::TCPStoreOptions so;
  so.port = static_cast<uint16_t>(port);
  so.isServer = rank == 0 && !agentStore;
  so.numWorkers = static_cast<size_t>(world);
  so.waitWorkers = !agentStore;
  so.timeout = timeout;
  c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(host, so);
  if (agentStore) store = c10::make_intrusive<c10d::PrefixStore>(a.str(6), store);
  c10::intrusive_ptr<c10d::ProcessGroup> made;
  if (backend == "gloo") {
    auto opts = c10d::ProcessGroupGloo::Options::create(timeout);
    opts->devices.push_back(glooDevice(host));
    opts->threads = 2;
    made = c10::make_intrusive<c10d::ProcessGroupGloo>(store, static_cast<int>(rank), static_cast<int>(world), opts);
  } else if (backend == "nccl") {
#ifdef USE_C10D_NCCL
    auto opts = c10d::ProcessGroupNCCL::Options::create();
    opts->timeout = timeout;
    made = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, static_cast<int>(rank), static_cast<int>(world), opts);
#else
    throw ArgError("this LibTorch has no NCCL process group (a CPU build); use the gloo backend");
#endif
  } else {
    throw ArgError("backend '" + backend + "': expected gloo or nccl");
  }
  group() = Group{store, made, timeout, backend};
  return a.info().Env().Undefined();
}

static Napi::Value distDestroy(Args& a) {
  group() = Group{};
  return a.info().Env().Undefined();
}

// distAllReduce(tensors, op): in place, one collective per tensor, all in flight at once.
static Napi::Value distAllReduce(Args& a) {
  auto& g = pg("distAllReduce");
  c10d::AllreduceOptions o;
  o.reduceOp = reduceOp(a.isNullish(1) ? "sum" : a.str(1));
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  for (auto& t : a.tensorList(0)) {
    std::vector<at::Tensor> one{t};
    works.push_back(g.allreduce(one, o));
  }
  for (auto& w : works) wait(w);
  return a.info()[0];
}

// distBroadcast(tensors, root): in place; every rank ends with root's values.
static Napi::Value distBroadcast(Args& a) {
  auto& g = pg("distBroadcast");
  c10d::BroadcastOptions o;
  o.rootRank = a.i64(1);
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  for (auto& t : a.tensorList(0)) {
    std::vector<at::Tensor> one{t};
    works.push_back(g.broadcast(one, o));
  }
  for (auto& w : works) wait(w);
  return a.info()[0];
}

static Napi::Value distBarrier(Args& a) {
  wait(pg("distBarrier").barrier());
  return a.info().Env().Undefined();
}

// Sums a 1-D tensor over ranks with `tag` appended: every rank must sum the
// same tag, or the ranks are in different collectives (say, one rank's backward
// reached a layer another's skipped), which would mix unrelated numbers.
at::Tensor sumTagged(const at::Tensor& x, double tag, const char* what) {
  auto& g = pg(what);
  std::vector<at::Tensor> one{at::cat({x.reshape({-1}), at::full({1}, tag, x.options())})};
  wait(g.allreduce(one));
  const double got = one[0][x.numel()].item<double>();
  if (got != tag * g.getSize()) {
    throw std::runtime_error(std::string(what) + ": the ranks are not in the same collective (tag " + std::to_string(tag) + " here, mean " +
                             std::to_string(got / g.getSize()) + " over ranks): every rank's forward and backward must reach the same synchronised layers in the same order");
  }
  return one[0].narrow(0, 0, x.numel()).view(x.sizes());
}

// Sum over ranks whose backward is again a sum over ranks (synchronised batch
// norm's statistics): rank r's gradient then holds every rank's dL/dsum.
struct AllReduceSum : public torch::autograd::Function<AllReduceSum> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, double tag) {
    ctx->saved_data["tag"] = tag;
    return sumTagged(x, tag, "synchronised all-reduce");
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    return {sumTagged(grads[0], ctx->saved_data["tag"].toDouble(), "synchronised all-reduce (backward)"), at::Tensor()};
  }
};

// distAllReduceSum(tensor, tag): tag, a small integer (exact in float32), names the call site.
static Napi::Value distAllReduceSum(Args& a) { return wrap(a.info().Env(), AllReduceSum::apply(a.tensor(0), a.f64(1))); }

static Napi::Value distInfo(Args& a) {
  Napi::Env env = a.info().Env();
  auto o = Napi::Object::New(env);
  o.Set("initialized", Napi::Boolean::New(env, static_cast<bool>(group().pg)));
  if (group().pg) {
    o.Set("rank", Napi::Number::New(env, group().pg->getRank()));
    o.Set("worldSize", Napi::Number::New(env, group().pg->getSize()));
    o.Set("backend", Napi::String::New(env, group().backend));
  }
#ifdef USE_C10D_NCCL
  o.Set("nccl", Napi::Boolean::New(env, true));
#else
  o.Set("nccl", Napi::Boolean::New(env, false));
#endif
  return o;
}

#else  // no Gloo headers at build time

static Napi::Value distInit(Args&) {
  throw ArgError("this addon was built without c10d: install Gloo's headers (Debian/Ubuntu: apt-get install libgloo-dev) and run npm rebuild");
}
static Napi::Value distUnavailable(Args& a) { return distInit(a); }
static Napi::Value distDestroy(Args& a) { return a.info().Env().Undefined(); }
static Napi::Value distInfo(Args& a) {
  auto o = Napi::Object::New(a.info().Env());
  o.Set("initialized", Napi::Boolean::New(a.info().Env(), false));
  o.Set("nccl", Napi::Boolean::New(a.info().Env(), false));
  return o;
}
#define distAllReduce distUnavailable
#define distBroadcast distUnavailable
#define distBarrier distUnavailable
#define distAllReduceSum distUnavailable
#endif

#define DIST_FN(name, body) defineOp(env, exports, name, [](const Napi::CallbackInfo& info) -> Napi::Value { return guarded(info, name, body); })

void registerDistributed(Napi::Env env, Napi::Object exports) {
  DIST_FN("distInit", distInit);
  DIST_FN("distDestroy", distDestroy);
  DIST_FN("distAllReduce", distAllReduce);
  DIST_FN("distBroadcast", distBroadcast);
  DIST_FN("distBarrier", distBarrier);
  DIST_FN("distAllReduceSum", distAllReduceSum);
  DIST_FN("distInfo", distInfo);
}

}  // namespace semifer
