// Reference for `npm run bench:step`: the same ResNet-18 training step
// (forward, cross-entropy, backward, SGD with momentum) written directly
// against LibTorch's C++ API, with no JavaScript in the loop.
// Usage: resnet18_step <batch> <size> <threads> <warmup> <steps> <device> <channels_last 0|1>
// Prints: images per second.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace nn = torch::nn;

struct BasicBlockImpl : nn::Module {
  nn::Conv2d conv1{nullptr}, conv2{nullptr};
  nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
  nn::Sequential downsample{nullptr};
  BasicBlockImpl(int64_t in, int64_t planes, int64_t stride) {
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in, planes, 3).stride(stride).padding(1).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(planes));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(planes, planes, 3).padding(1).bias(false)));
    bn2 = register_module("bn2", nn::BatchNorm2d(planes));
    if (stride != 1 || in != planes) {
      downsample = register_module("downsample", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, planes, 1).stride(stride).bias(false)), nn::BatchNorm2d(planes)));
    }
  }
  torch::Tensor forward(torch::Tensor x) {
    auto out = torch::relu(bn1(conv1(x)));
    out = bn2(conv2(out));
    auto identity = downsample ? downsample->forward(x) : x;
    return torch::relu(out + identity);
  }
};
TORCH_MODULE(BasicBlock);

struct ResNet18Impl : nn::Module {
  nn::Conv2d conv1{nullptr};
  nn::BatchNorm2d bn1{nullptr};
  nn::Sequential layer1, layer2, layer3, layer4;
  nn::Linear fc{nullptr};
  explicit ResNet18Impl(int64_t classes) {
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(3, 64, 7).stride(2).padding(3).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(64));
    layer1 = register_module("layer1", nn::Sequential(BasicBlock(64, 64, 1), BasicBlock(64, 64, 1)));
    layer2 = register_module("layer2", nn::Sequential(BasicBlock(64, 128, 2), BasicBlock(128, 128, 1)));
    layer3 = register_module("layer3", nn::Sequential(BasicBlock(128, 256, 2), BasicBlock(256, 256, 1)));
    layer4 = register_module("layer4", nn::Sequential(BasicBlock(256, 512, 2), BasicBlock(512, 512, 1)));
    fc = register_module("fc", nn::Linear(512, classes));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::max_pool2d(torch::relu(bn1(conv1(x))), 3, 2, 1);
    x = layer4->forward(layer3->forward(layer2->forward(layer1->forward(x))));
    return fc(x.mean({2, 3}));
  }
};
TORCH_MODULE(ResNet18);

int main(int argc, char** argv) {
  if (argc < 8) {
    std::fprintf(stderr, "usage: %s batch size threads warmup steps device channels_last\n", argv[0]);
    return 2;
  }
  int64_t batch = std::atoll(argv[1]), size = std::atoll(argv[2]);
  int threads = std::atoi(argv[3]), warmup = std::atoi(argv[4]), steps = std::atoi(argv[5]);
  torch::Device device(argv[6]);
  bool channelsLast = std::atoi(argv[7]) != 0;
  torch::set_num_threads(threads);
  torch::manual_seed(0);
  ResNet18 model(7);
  model->to(device);
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
  auto x = torch::randn({batch, 3, size, size}, torch::TensorOptions().device(device));
  if (channelsLast) {
    x = x.contiguous(at::MemoryFormat::ChannelsLast);
    model->to(device);
    for (auto& p : model->parameters()) if (p.dim() == 4) p.set_data(p.data().contiguous(at::MemoryFormat::ChannelsLast));
  }
  auto y = torch::randint(0, 7, {batch}, torch::TensorOptions().dtype(torch::kLong).device(device));
  auto step = [&]() {
    opt.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(model->forward(x), y);
    loss.backward();
    opt.step();
    return loss;
  };
  for (int i = 0; i < warmup; ++i) step();
  if (device.is_cuda()) torch::cuda::synchronize();
  auto t0 = std::chrono::steady_clock::now();
  torch::Tensor last;
  for (int i = 0; i < steps; ++i) last = step();
  last.item<float>();  // waits for the device, as the TS loop does
  if (device.is_cuda()) torch::cuda::synchronize();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%.4f\n", batch * steps / secs);
  return 0;
}
