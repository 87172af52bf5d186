"""PyTorch eager reference for `npm run bench:step -- --device cuda`: the same
ResNet-18 step (forward, cross-entropy, backward, SGD momentum), written
without torchvision so it needs only `torch`, in fp32 or under bf16 autocast
(the loss in float32, as semifer's). Prints images per second.

    python3 bench/pytorch_step.py BATCH SIZE THREADS WARMUP STEPS DEVICE CHANNELS_LAST [PRECISION]
    python3 bench/pytorch_step.py --parse-only ...   print the parsed arguments (no torch needed)
"""
import json
import sys
import time

USAGE = "usage: pytorch_step.py [--parse-only] BATCH SIZE THREADS WARMUP STEPS DEVICE CHANNELS_LAST(0|1) [PRECISION(fp32|bf16)]"


def parse_args(argv):
    """The positional arguments bench/trainStep.ts passes, checked; exits with status 2 and the usage otherwise."""
    parse_only = bool(argv) and argv[0] == "--parse-only"
    if parse_only:
        argv = argv[1:]
    if len(argv) not in (7, 8):
        _fail(f"expected 7 or 8 arguments, got {len(argv)}")
    names = ["batch", "size", "threads", "warmup", "steps"]
    args = {"parse_only": parse_only}
    for name, value in zip(names, argv[:5]):
        try:
            args[name] = int(value)
        except ValueError:
            _fail(f"{name} must be an integer, got '{value}'")
        if args[name] < (0 if name == "warmup" else 1):
            _fail(f"{name} must be {'≥ 0' if name == 'warmup' else '≥ 1'}, got {value}")
    args["device"] = argv[5]
    if not (args["device"] == "cpu" or args["device"].startswith("cuda")):
        _fail(f"device must be cpu, cuda or cuda:N, got '{argv[5]}'")
    if argv[6] not in ("0", "1"):
        _fail(f"CHANNELS_LAST must be 0 or 1, got '{argv[6]}'")
    args["channels_last"] = argv[6] == "1"
    args["precision"] = argv[7] if len(argv) == 8 else "fp32"
    if args["precision"] not in ("fp32", "bf16"):
        _fail(f"PRECISION must be fp32 or bf16, got '{args['precision']}'")
    return args


def _fail(message):
    print(f"{USAGE}\n{message}", file=sys.stderr)
    sys.exit(2)


def resnet18(torch, classes):
    nn, F = torch.nn, torch.nn.functional

    class Block(nn.Module):
        def __init__(self, cin, planes, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = None
            if stride != 1 or cin != planes:
                self.downsample = nn.Sequential(nn.Conv2d(cin, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

        def forward(self, x):
            out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
            return F.relu(out + (self.downsample(x) if self.downsample is not None else x))

    class ResNet18(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            layers, cin = [], 64
            for planes, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
                layers.append(nn.Sequential(Block(cin, planes, stride), Block(planes, planes, 1)))
                cin = planes
            self.layers = nn.Sequential(*layers)
            self.fc = nn.Linear(512, classes)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
            return self.fc(self.layers(x).mean((2, 3)))

    return ResNet18()


def main():
    args = parse_args(sys.argv[1:])
    if args["parse_only"]:
        print(json.dumps(args, sort_keys=True))
        return
    import torch
    import torch.nn.functional as F

    batch, size, device = args["batch"], args["size"], args["device"]
    torch.set_num_threads(args["threads"])
    torch.manual_seed(0)
    model = resnet18(torch, 7).to(device)
    x = torch.randn(batch, 3, size, size, device=device)
    if args["channels_last"]:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 7, (batch,), device=device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    device_type = "cuda" if device.startswith("cuda") else "cpu"
    bf16 = args["precision"] == "bf16"

    def step():
        opt.zero_grad()
        with torch.autocast(device_type, dtype=torch.bfloat16, enabled=bf16):
            logits = model(x)
        loss = F.cross_entropy(logits.float(), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(args["warmup"]):
        step()
    if device_type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(args["steps"]):
        step()
    if device_type == "cuda":
        torch.cuda.synchronize()
    print(f"{batch * args['steps'] / (time.perf_counter() - t0):.4f}")


if __name__ == "__main__":
    main()
