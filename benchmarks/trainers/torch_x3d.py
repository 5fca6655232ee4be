#!/usr/bin/env python3
"""Toolkit's X3D-M in plain PyTorch: the PyTorch peer of the training-loop benchmark.

mmaction2's Recognizer3D with its `X3D` backbone and `X3DHead`, as in mmaction2 commit 4d6c934
(mmaction/models/backbones/x3d.py, mmaction/models/heads/x3d_head.py), written again without mmcv/mmengine (not
installable here). Module and parameter names are mmaction2's (`backbone.conv1_s.conv.weight`,
`backbone.layer1.0.se_module.fc1.bias`, `cls_head.fc1.weight`, ...), so `load_state_dict(sd, strict=True)` takes
an mmaction2 checkpoint's state dict as it is. Needs torch only (Debian's python3-torch, 1.13).

The network:
  stem     conv1_s 1x3x3 stride (1,2,2), no norm, no activation; conv1_t 5x1x1 channel-wise, BN, ReLU
  layer1-4 BlockX3D: conv1 1x1x1 (BN, ReLU) -> conv2 3x3x3 channel-wise, spatial stride 2 in a stage's first
           block (BN) -> squeeze-excitation (blocks 0, 2, 4, ...) -> Swish -> conv3 1x1x1 (BN); + identity
           (downsample 1x1x1 conv + BN in a stage's first block); ReLU
  conv5    1x1x1 to gamma_b x the last width, BN, ReLU
  cls_head global average -> fc1 (no bias) -> ReLU -> dropout -> fc2
BatchNorm eps 1e-5, momentum 0.1 (mmcv's BN3d, and toolkit's).

build_x3d(num_classes, width, depth) is toolkit's `x3d-m` at those multipliers (Video/X3D.cs, CnnParts.cs
CnnScale): at width 1, depth 1 it is mmaction2's X3D-M (gamma_w 1, gamma_b 2.25, gamma_d 2.2; 24/48/96/192
channels, 3/5/11/7 blocks, conv5 to 432, head 432 -> 2048 -> classes). Other multipliers follow toolkit's rule,
which is not mmaction2's gamma_w/gamma_d:
  - every published width (the stem's 24, each stage's 24 << i, the head's 2048) becomes
    max(8, round_half_away(c * width / 8) * 8) on its own; bottleneck = int(stage width * 2.25), SE = mmaction2's
    _round_width(bottleneck, 1/16), conv5 = int(last stage width * 2.25);
  - every stage's published count ceil(2.2 * [1, 2, 5, 3]) becomes max(1, round_half_away(count * depth)).
Weights start as toolkit's CnnInit draws them (convs Kaiming normal fan-out, linears normal std 0.01, biases 0,
BN weight 1 and bias 0), from a torch.Generator seeded with `seed` (not the same numbers as toolkit's).

Checked by `torch_x3d.py check` (exit 1 on a failure):
  1. the zoo fixture ../shared/fixtures/zoo/mm_x3d.pth (mmaction2's own X3D-M) loads strictly into build_x3d(400)
     and reproduces mm_x3d.check.pt in eval mode (relative max difference <= 1e-5);
  2. at (width, depth) = (0.5, 0.34), (0.25, 0.34), (1, 1), a seeded random model (BN running statistics and
     affine terms randomised too) is saved as an mmaction2 checkpoint with a parity file, and
     `toolkit weights import FILE --model x3d-m --from mmaction2 --width W --depth D --classes 10 --check CHECK
     --tolerance 1e-5` must pass: every key maps, no key is left over, and toolkit's network computes the same
     numbers.
Environment: TOOLKIT (default: the repository's ./toolkit), ZOO (default: ../shared/fixtures/zoo).

usage: torch_x3d.py check
"""
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import torch
from torch import nn

BN_EPS = 1e-5
BN_MOMENTUM = 0.1
SE_RATIO = 1 / 16
STAGE_BLOCKS = (1, 2, 5, 3)


def round_width(width, multiplier, divisor=8):
    """mmaction2's _round_width (toolkit's X3D.RoundWidth): width x multiplier to a multiple of 8, at least 8, not
    below 90 %."""
    scaled = width * multiplier
    rounded = max(divisor, int(scaled + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * scaled:
        rounded += divisor
    return rounded


def round_half_away(x):
    """C#'s Math.Round(x, MidpointRounding.AwayFromZero) for x >= 0 (Python's round() goes to even)."""
    whole = math.floor(x)
    return whole + 1 if x - whole >= 0.5 else whole


class Scale:
    """Toolkit's CnnScale: the width and depth multipliers; the published sizes, untouched, at 1."""

    def __init__(self, width, depth):
        self.width = width
        self.depth = depth

    def channels(self, published):
        if self.width == 1.0:
            return published
        return max(8, round_half_away(published * self.width / 8.0) * 8)

    def blocks(self, published):
        if self.depth == 1.0:
            return published
        return max(1, round_half_away(published * self.depth))


class ConvModule(nn.Module):
    """mmcv's ConvModule as X3D uses it: conv (no bias), optional BN (`bn`), optional ReLU."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0, groups=1, norm=True, relu=False):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, kernel, stride=stride, padding=padding, groups=groups, bias=False)
        self.bn = nn.BatchNorm3d(cout, eps=BN_EPS, momentum=BN_MOMENTUM) if norm else None
        self.activate = nn.ReLU(inplace=True) if relu else None

    def forward(self, x):
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x)
        if self.activate is not None:
            x = self.activate(x)
        return x


class SEModule(nn.Module):
    """Squeeze-excitation: global average, 1x1x1 conv (bias), ReLU, 1x1x1 conv (bias), sigmoid gate."""

    def __init__(self, channels, ratio):
        super().__init__()
        bottleneck = round_width(channels, ratio)
        self.avg_pool = nn.AdaptiveAvgPool3d(1)
        self.fc1 = nn.Conv3d(channels, bottleneck, 1)
        self.relu = nn.ReLU()
        self.fc2 = nn.Conv3d(bottleneck, channels, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return x * self.sigmoid(self.fc2(self.relu(self.fc1(self.avg_pool(x)))))


class BlockX3D(nn.Module):
    def __init__(self, cin, inner, cout, spatial_stride, se):
        super().__init__()
        # Registered in mmaction2's order, so the state dict lists its keys in the checkpoint's order.
        self.downsample = None
        if spatial_stride != 1 or cin != cout:
            self.downsample = ConvModule(cin, cout, 1, stride=(1, spatial_stride, spatial_stride))
        self.conv1 = ConvModule(cin, inner, 1, relu=True)
        self.conv2 = ConvModule(inner, inner, 3, stride=(1, spatial_stride, spatial_stride), padding=1, groups=inner)
        self.swish = nn.SiLU()
        self.conv3 = ConvModule(inner, cout, 1)
        self.se_module = SEModule(inner, SE_RATIO) if se else None
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        out = self.conv2(self.conv1(x))
        if self.se_module is not None:
            out = self.se_module(out)
        out = self.conv3(self.swish(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class X3D(nn.Module):
    """The backbone: stem, four stages (`layer1`-`layer4`), conv5. `stage_blocks` and `feat_dim` as mmaction2's."""

    def __init__(self, gamma_w, gamma_b, gamma_d, scale):
        super().__init__()
        base = round_width(24, gamma_w)
        stem = scale.channels(base)
        self.conv1_s = ConvModule(3, stem, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), norm=False)
        self.conv1_t = ConvModule(stem, stem, (5, 1, 1), padding=(2, 0, 0), groups=stem, relu=True)
        self.stage_blocks = [scale.blocks(math.ceil(gamma_d * n)) for n in STAGE_BLOCKS]
        cin = stem
        for i, count in enumerate(self.stage_blocks):
            cout = scale.channels(base << i)
            inner = int(cout * gamma_b)
            blocks = [BlockX3D(cin if b == 0 else cout, inner, cout, 2 if b == 0 else 1, b % 2 == 0) for b in range(count)]
            self.add_module(f"layer{i + 1}", nn.Sequential(*blocks))
            cin = cout
        self.feat_dim = int(cin * gamma_b)
        self.conv5 = ConvModule(cin, self.feat_dim, 1, relu=True)

    def forward(self, x):
        x = self.conv1_t(self.conv1_s(x))
        for i in range(len(self.stage_blocks)):
            x = getattr(self, f"layer{i + 1}")(x)
        return self.conv5(x)


class X3DHead(nn.Module):
    """Global average, fc1 (no bias), ReLU, dropout (none at 0, as mmaction2), fc2."""

    def __init__(self, num_classes, in_channels, mid_channels, dropout):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool3d(1)
        self.fc1 = nn.Linear(in_channels, mid_channels, bias=False)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(dropout) if dropout else None
        self.fc2 = nn.Linear(mid_channels, num_classes)

    def forward(self, x):
        x = self.relu(self.fc1(self.pool(x).flatten(1)))
        if self.dropout is not None:
            x = self.dropout(x)
        return self.fc2(x)


class Recognizer3D(nn.Module):
    def __init__(self, backbone, cls_head):
        super().__init__()
        self.backbone = backbone
        self.cls_head = cls_head

    def forward(self, x):
        return self.cls_head(self.backbone(x))


def init_weights(model, seed):
    """Toolkit's CnnInit (mmaction2's init less zero_init_residual): convs Kaiming normal (fan out, ReLU gain),
    linears normal std 0.01, biases 0, BN weight 1 / bias 0; drawn from a generator seeded with `seed`."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv3d):
                fan_out = m.weight.shape[0] * m.weight[0, 0].numel()
                m.weight.normal_(0, math.sqrt(2.0 / fan_out), generator=generator)
            elif isinstance(m, nn.Linear):
                m.weight.normal_(0, 0.01, generator=generator)
            elif isinstance(m, nn.BatchNorm3d):
                m.weight.fill_(1.0)
            if isinstance(m, (nn.Conv3d, nn.Linear, nn.BatchNorm3d)) and m.bias is not None:
                m.bias.zero_()


def build_x3d(num_classes, width=1.0, depth=1.0, dropout=0.0, seed=0):
    """Toolkit's `x3d-m` (mmaction2's X3D-M at width 1, depth 1): N x 3 x T x H x W -> N x num_classes logits."""
    scale = Scale(width, depth)
    backbone = X3D(gamma_w=1.0, gamma_b=2.25, gamma_d=2.2, scale=scale)
    model = Recognizer3D(backbone, X3DHead(num_classes, backbone.feat_dim, scale.channels(2048), dropout))
    init_weights(model, seed)
    return model


def max_rel_diff(actual, reference):
    """max |actual - reference| / max |reference|, as toolkit's ParityCheck."""
    return ((actual - reference).abs().max() / reference.abs().max()).item()


def check_zoo(zoo):
    checkpoint = torch.load(os.path.join(zoo, "mm_x3d.pth"), map_location="cpu")
    parity = torch.load(os.path.join(zoo, "mm_x3d.check.pt"), map_location="cpu")
    model = build_x3d(400).eval()
    model.load_state_dict(checkpoint["state_dict"], strict=True)
    with torch.no_grad():
        rel = max_rel_diff(model(parity["input"]), parity["output"])
    ok = rel <= 1e-5
    print(f"zoo mm_x3d.pth: {len(checkpoint['state_dict'])} keys loaded strictly, input {list(parity['input'].shape)}, "
          f"max rel diff {rel:.3g} (<= 1e-5): {'ok' if ok else 'FAILED'}")
    return ok


def randomise(model, generator):
    """Random BN running statistics and affine terms, random biases, linears at std 1/sqrt(fan in): eval-mode BN and
    every tensor then show in the output."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm3d):
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.normal_(0, 0.1, generator=generator)
                m.running_mean.normal_(0, 0.1, generator=generator)
                m.running_var.uniform_(0.5, 1.5, generator=generator)
            elif isinstance(m, (nn.Conv3d, nn.Linear)):
                if isinstance(m, nn.Linear):
                    m.weight.normal_(0, 1 / math.sqrt(m.in_features), generator=generator)
                if m.bias is not None:
                    m.bias.normal_(0, 0.1, generator=generator)


def check_toolkit(toolkit, width, depth, folder, classes=10):
    generator = torch.Generator().manual_seed(1234)
    model = build_x3d(classes, width, depth, seed=1)
    randomise(model, generator)
    model.eval()
    x = torch.randn(1, 3, 8, 64, 64, generator=generator)
    with torch.no_grad():
        y = model(x)
    weights = os.path.join(folder, f"x3d_w{width}_d{depth}.pth")
    check = os.path.join(folder, f"x3d_w{width}_d{depth}.check.pt")
    torch.save({"state_dict": model.state_dict()}, weights)
    torch.save({"input": x, "output": y}, check)
    params = sum(p.numel() for p in model.parameters())
    backbone = sum(p.numel() for p in model.backbone.parameters())
    print(f"width {width}, depth {depth}: blocks {model.backbone.stage_blocks}, feat {model.backbone.feat_dim}, "
          f"head mid {model.cls_head.fc1.out_features}, params {params:,} (backbone {backbone:,})")
    run = subprocess.run(
        [toolkit, "weights", "import", weights, "--model", "x3d-m", "--from", "mmaction2", "--width", str(width),
         "--depth", str(depth), "--classes", str(classes), "--check", check, "--tolerance", "1e-5"],
        capture_output=True, text=True)
    output = (run.stdout + run.stderr).strip()
    print("  " + output.replace("\n", "\n  "))
    rel = re.search(r"max rel diff (\S+)", output)
    print(f"  toolkit exit {run.returncode}, max rel diff {rel.group(1) if rel else '?'}: "
          f"{'ok' if run.returncode == 0 else 'FAILED'}")
    return run.returncode == 0


def main(argv):
    if argv != ["check"]:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    toolkit = os.environ.get("TOOLKIT", os.path.join(root, "toolkit"))
    zoo = os.environ.get("ZOO", os.path.join(root, "..", "shared", "fixtures", "zoo"))
    ok = check_zoo(zoo)
    folder = tempfile.mkdtemp(prefix="torch_x3d.")
    try:
        for width, depth in [(0.5, 0.34), (0.25, 0.34), (1.0, 1.0)]:
            ok = check_toolkit(toolkit, width, depth, folder) and ok
    finally:
        shutil.rmtree(folder)
    print("all checks passed" if ok else "CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
