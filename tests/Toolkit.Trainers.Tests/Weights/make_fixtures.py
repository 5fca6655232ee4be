#!/usr/bin/env python3
"""Writes checkpoint fixtures for the weight-import tests with Debian's python3-torch (1.13).

Each state dict is laid out as the source's own code names it (mmaction2, torchvision, timm), written here from
those projects' module structure, independently of toolkit's key maps, at a reduced width (channels x 0.25, rounded
to a multiple of 8 as toolkit's --width does) so the files stay small. Random values: the tests check names,
shapes, containers and refusals; numerical parity is proven by the zoo fixtures and by tv_r50.check.pt.

usage: make_fixtures.py OUT_DIR [WIDTH]   (WIDTH 1 writes the source layouts at full size, for benchmarks/weights)
"""
import json
import math
import os
import struct
import sys

import torch

torch.manual_seed(0)
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
W = float(sys.argv[2]) if len(sys.argv) > 2 else 0.25
FULL = W == 1.0


def ch(c):
    return max(8, int(math.floor(c * W / 8.0 + 0.5)) * 8)


def conv(sd, name, o, i, k):
    sd[name + '.weight'] = torch.randn(o, i, *k)


def bn(sd, name, c):
    sd[name + '.weight'] = torch.rand(c) + 0.5
    sd[name + '.bias'] = torch.randn(c) * 0.1
    sd[name + '.running_mean'] = torch.randn(c) * 0.1
    sd[name + '.running_var'] = torch.rand(c) + 0.5
    sd[name + '.num_batches_tracked'] = torch.tensor(7)


def conv_module(sd, name, o, i, k, norm=True):
    """mmcv ConvModule: .conv (no bias) and .bn."""
    conv(sd, name + '.conv', o, i, k)
    if norm:
        bn(sd, name + '.bn', o)


def mm_resnet3d(sd, prefix, base, conv1_kt, inflate, lateral=None):
    """mmaction2 ResNet3d / ResNet3dPathway depth 50: conv1, layer1..4 of Bottleneck3d (conv1/conv2/conv3/downsample)."""
    stem = ch(base)
    conv_module(sd, prefix + 'conv1', stem, 3, (conv1_kt, 7, 7))
    inplanes = stem
    for i, blocks in enumerate([3, 4, 6, 3]):
        planes = ch(base * 2 ** i)
        for j in range(blocks):
            cin = (inplanes + (lateral[i] if lateral else 0)) if j == 0 else planes * 4
            kt = 3 if inflate[i][j % len(inflate[i])] else 1
            conv_module(sd, f'{prefix}layer{i + 1}.{j}.conv1', planes, cin, (kt, 1, 1))
            conv_module(sd, f'{prefix}layer{i + 1}.{j}.conv2', planes, planes, (1, 3, 3))
            conv_module(sd, f'{prefix}layer{i + 1}.{j}.conv3', planes * 4, planes, (1, 1, 1))
            if j == 0:
                conv_module(sd, f'{prefix}layer{i + 1}.{j}.downsample', planes * 4, cin, (1, 1, 1))
        inplanes = planes * 4
    return inplanes


def save(name, obj, **kw):
    torch.save(obj, os.path.join(out, name), **kw)


def save_safetensors(name, sd):
    """safetensors by its spec (8-byte little-endian header size, JSON header, raw little-endian data)."""
    header, blobs, offset = {}, [], 0
    for k, v in sd.items():
        data = v.contiguous().numpy().tobytes()
        dtype = {torch.float32: 'F32', torch.int64: 'I64'}[v.dtype]
        header[k] = {'dtype': dtype, 'shape': list(v.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    with open(os.path.join(out, name), 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


classes = 5
# mmaction2 I3D R50 (Recognizer3D: backbone + cls_head.fc_cls), in mmaction2's {"meta", "state_dict"} container.
i3d = {}
c = mm_resnet3d(i3d, 'backbone.', 64, 5, [[1, 1, 1], [1, 0, 1, 0], [1, 0, 1, 0, 1, 0], [0, 1, 0]])
i3d['cls_head.fc_cls.weight'] = torch.randn(classes, c) * 0.01
i3d['cls_head.fc_cls.bias'] = torch.zeros(classes)
save('mm_i3d.pth', {'meta': {'mmaction_version': '1.2.0', 'epoch': 3}, 'state_dict': i3d})
save_safetensors('mm_i3d.safetensors', i3d)

# mmaction2 SlowOnly R50, saved bare from a DataParallel model (every key prefixed with module.).
slowonly = {}
c = mm_resnet3d(slowonly, 'backbone.', 64, 1, [[0], [0], [1], [1]])
slowonly['cls_head.fc_cls.weight'] = torch.randn(classes, c) * 0.01
slowonly['cls_head.fc_cls.bias'] = torch.zeros(classes)
save('ddp_slowonly.pth', {'module.' + k: v for k, v in slowonly.items()})

# mmaction2 SlowFast R50 8x8: slow_path with conv1_lateral / layer{1,2,3}_lateral (conv only), fast_path at 1/8 width.
slowfast = {}
fast_stem = ch(8)
fast_out = [ch(8 * 2 ** i) * 4 for i in range(4)]
lateral_in = [fast_stem] + fast_out[:3]
cf = mm_resnet3d(slowfast, 'backbone.fast_path.', 8, 5, [[1], [1], [1], [1]])
cs = mm_resnet3d(slowfast, 'backbone.slow_path.', 64, 1, [[0], [0], [1], [1]], lateral=[2 * c for c in lateral_in])
conv(slowfast, 'backbone.slow_path.conv1_lateral.conv', 2 * lateral_in[0], lateral_in[0], (7, 1, 1))
for i in range(1, 4):
    conv(slowfast, f'backbone.slow_path.layer{i}_lateral.conv', 2 * lateral_in[i], lateral_in[i], (7, 1, 1))
slowfast['cls_head.fc_cls.weight'] = torch.randn(classes, cs + cf) * 0.01
slowfast['cls_head.fc_cls.bias'] = torch.zeros(classes)
save('mm_slowfast.pth', {'meta': {}, 'state_dict': slowfast})

# pytorchvideo slow_r50 (create_resnet): blocks.0 stem, blocks.{s}.res_blocks.{j}.branch1_* / branch2.*, blocks.5.proj.
def pv_bottleneck(sd, name, cin, inner, out, kt, shortcut, se=0, x3d=False, shortcut_norm=True):
    if shortcut:
        conv(sd, name + '.branch1_conv', out, cin, (1, 1, 1))
        if shortcut_norm:
            bn(sd, name + '.branch1_norm', out)
    conv(sd, name + '.branch2.conv_a', inner, cin, (kt, 1, 1))
    bn(sd, name + '.branch2.norm_a', inner)
    if x3d:
        conv(sd, name + '.branch2.conv_b', inner, 1, (3, 3, 3))
        bn(sd, name + '.branch2.norm_b.0', inner)
        if se:
            sd[name + '.branch2.norm_b.1.block.0.weight'] = torch.randn(se, inner, 1, 1, 1)
            sd[name + '.branch2.norm_b.1.block.0.bias'] = torch.randn(se)
            sd[name + '.branch2.norm_b.1.block.2.weight'] = torch.randn(inner, se, 1, 1, 1)
            sd[name + '.branch2.norm_b.1.block.2.bias'] = torch.randn(inner)
    else:
        conv(sd, name + '.branch2.conv_b', inner, inner, (1, 3, 3))
        bn(sd, name + '.branch2.norm_b', inner)
    conv(sd, name + '.branch2.conv_c', out, inner, (1, 1, 1))
    bn(sd, name + '.branch2.norm_c', out)


slow = {}
conv(slow, 'blocks.0.conv', ch(64), 3, (1, 7, 7))
bn(slow, 'blocks.0.norm', ch(64))
cin = ch(64)
for s, blocks in enumerate([3, 4, 6, 3], start=1):
    inner = ch(64 * 2 ** (s - 1))
    for j in range(blocks):
        pv_bottleneck(slow, f'blocks.{s}.res_blocks.{j}', cin if j == 0 else inner * 4, inner, inner * 4, 3 if s >= 3 else 1, j == 0)
    cin = inner * 4
slow['blocks.5.proj.weight'] = torch.randn(classes, cin)
slow['blocks.5.proj.bias'] = torch.randn(classes)
save('pv_slow_r50.pyth', {'model_state': slow})


# pytorchvideo i3d_r50: like slow_r50, but stem 5x7x7, I3D's inflation pattern, and blocks.2 the parameter-free pool
# after res2 (res3..res5 are blocks.3..5, the head blocks.6).
i3d_pv = {}
conv(i3d_pv, 'blocks.0.conv', ch(64), 3, (5, 7, 7))
bn(i3d_pv, 'blocks.0.norm', ch(64))
cin = ch(64)
for s, (blocks, pattern) in enumerate(zip([3, 4, 6, 3], [[1, 1, 1], [1, 0, 1, 0], [1, 0, 1, 0, 1, 0], [0, 1, 0]])):
    inner = ch(64 * 2 ** s)
    index = 1 if s == 0 else s + 2
    for j in range(blocks):
        pv_bottleneck(i3d_pv, f'blocks.{index}.res_blocks.{j}', cin if j == 0 else inner * 4, inner, inner * 4, 3 if pattern[j] else 1, j == 0)
    cin = inner * 4
i3d_pv['blocks.6.proj.weight'] = torch.randn(classes, cin)
i3d_pv['blocks.6.proj.bias'] = torch.randn(classes)
save('pv_i3d_r50.pyth', {'model_state': i3d_pv})


def round_width(width, multiplier, divisor=8):
    w = width * multiplier
    o = max(divisor, int(w + divisor / 2) // divisor * divisor)
    return o + divisor if o < 0.9 * w else o


# pytorchvideo x3d_m (create_x3d) at width 0.25: stem conv_t is the spatial conv, conv_xy the temporal one (names swapped).
x3d = {}
stem = ch(24)
conv(x3d, 'blocks.0.conv.conv_t', stem, 3, (1, 3, 3))
x3d['blocks.0.conv.conv_xy.weight'] = torch.randn(stem, 1, 5, 1, 1)
bn(x3d, 'blocks.0.norm', stem)
cin = stem
for s, blocks in enumerate([3, 5, 11, 7], start=1):
    out_c = ch(24 * 2 ** (s - 1))
    inner = int(out_c * 2.25)
    for j in range(blocks):
        pv_bottleneck(x3d, f'blocks.{s}.res_blocks.{j}', cin if j == 0 else out_c, inner, out_c, 1, j == 0,
                      se=round_width(inner, 1 / 16) if j % 2 == 0 else 0, x3d=True, shortcut_norm=(cin != out_c))
    cin = out_c
conv(x3d, 'blocks.5.pool.pre_conv', int(cin * 2.25), cin, (1, 1, 1))
bn(x3d, 'blocks.5.pool.pre_norm', int(cin * 2.25))
conv(x3d, 'blocks.5.pool.post_conv', ch(2048), int(cin * 2.25), (1, 1, 1))
x3d['blocks.5.proj.weight'] = torch.randn(classes, ch(2048))
x3d['blocks.5.proj.bias'] = torch.randn(classes)
save('pv_x3d_m.pyth', {'model_state': x3d})


# MViT-B 16x4 at width 0.25 (embed 24, head dim 24): pytorchvideo layout (separate q/k/v, _attention_pool_* aliases)
# and SlowFast's (joint qkv; the 2021 code's separate q/k/v).
def mvit(layout):
    sd = {}
    e = ch(96)
    dims = []
    d = e
    for i in range(16):
        do = d * 2 if i + 1 in (1, 3, 14) else d
        dims.append((d, do))
        d = do
    hd = e
    pre = 'cls_positional_encoding.' if layout == 'pv' else ''
    if layout == 'pv':
        sd['patch_embed.patch_model.weight'] = torch.randn(e, 3, 3, 7, 7)
        sd['patch_embed.patch_model.bias'] = torch.randn(e)
    else:
        sd['patch_embed.proj.weight'] = torch.randn(e, 3, 3, 7, 7)
        sd['patch_embed.proj.bias'] = torch.randn(e)
    sd[pre + 'cls_token'] = torch.randn(1, 1, e)
    sd[pre + 'pos_embed_spatial'] = torch.randn(1, 56 * 56, e)
    sd[pre + 'pos_embed_temporal'] = torch.randn(1, 8, e)
    sd[pre + 'pos_embed_class'] = torch.randn(1, 1, e)
    for i, (d, do) in enumerate(dims):
        b = f'blocks.{i}.'
        for n in ('norm1', 'norm2'):
            sd[b + n + '.weight'] = torch.randn(d)
            sd[b + n + '.bias'] = torch.randn(d)
        if layout == 'sf':  # current SlowFast code: one qkv linear
            sd[b + 'attn.qkv.weight'] = torch.randn(3 * d, d)
            sd[b + 'attn.qkv.bias'] = torch.randn(3 * d)
        else:
            for n in 'qkv':
                sd[b + f'attn.{n}.weight'] = torch.randn(d, d)
                sd[b + f'attn.{n}.bias'] = torch.randn(d)
        sd[b + 'attn.proj.weight'] = torch.randn(d, d)
        sd[b + 'attn.proj.bias'] = torch.randn(d)
        for n in (['q'] if i in (1, 3, 14) else []) + ['k', 'v']:
            sd[b + f'attn.pool_{n}.weight'] = torch.randn(hd, 1, 3, 3, 3)
            sd[b + f'attn.norm_{n}.weight'] = torch.randn(hd)
            sd[b + f'attn.norm_{n}.bias'] = torch.randn(hd)
            if layout == 'pv':
                sd[b + f'attn._attention_pool_{n}.pool.weight'] = sd[b + f'attn.pool_{n}.weight']
                sd[b + f'attn._attention_pool_{n}.norm.weight'] = sd[b + f'attn.norm_{n}.weight']
                sd[b + f'attn._attention_pool_{n}.norm.bias'] = sd[b + f'attn.norm_{n}.bias']
        sd[b + 'mlp.fc1.weight'] = torch.randn(4 * d, d)
        sd[b + 'mlp.fc1.bias'] = torch.randn(4 * d)
        sd[b + 'mlp.fc2.weight'] = torch.randn(do, 4 * d)
        sd[b + 'mlp.fc2.bias'] = torch.randn(do)
        if d != do:
            sd[b + 'proj.weight'] = torch.randn(do, d)
            sd[b + 'proj.bias'] = torch.randn(do)
    last = dims[-1][1]
    norm = 'norm_embed' if layout == 'pv' else 'norm'
    sd[norm + '.weight'] = torch.randn(last)
    sd[norm + '.bias'] = torch.randn(last)
    head = 'head.proj' if layout == 'pv' else 'head.projection'
    sd[head + '.weight'] = torch.randn(classes, last)
    sd[head + '.bias'] = torch.randn(classes)
    return sd


save('pv_mvit.pyth', mvit('pv'))
save('sf_mvit.pyth', {'epoch': 10, 'model_state': mvit('sf')})
save('sf_mvit_2021.pyth', {'epoch': 10, 'model_state': mvit('sf2021')})

# torchvision ResNet-50 (ImageNet layout, full size), BN statistics randomised; parity for a one-frame clip.
import torchvision
tv = torchvision.models.resnet50()
for m in tv.modules():
    if isinstance(m, torch.nn.BatchNorm2d):
        m.running_mean.uniform_(-0.1, 0.1)
        m.running_var.uniform_(0.5, 1.5)
        m.weight.data.uniform_(0.5, 1.5)
        m.bias.data.uniform_(-0.1, 0.1)
tv.eval()
save('tv_r50.pth', tv.state_dict())
x = torch.randn(1, 3, 1, 64, 64)
with torch.no_grad():
    y = tv(x[:, :, 0])
save('tv_r50.check.pt', {'input': x, 'output': y})
if FULL:
    print('full-size fixtures written to', out)
    sys.exit(0)

# Broken and hostile files.
with open(os.path.join(out, 'mm_i3d.pth'), 'rb') as f:
    whole = f.read()
with open(os.path.join(out, 'truncated.pth'), 'wb') as f:
    f.write(whole[:len(whole) // 2])
missing = dict(i3d)
del missing['backbone.layer2.1.conv2.conv.weight']
save('missing_key.pth', {'state_dict': missing})
wrong = dict(i3d)
wrong['backbone.layer3.0.conv1.conv.weight'] = torch.randn(ch(256), ch(512), 1, 1, 1)
save('wrong_shape.pth', {'state_dict': wrong})
save('legacy.pth', {'state_dict': i3d}, _use_new_zipfile_serialization=False)


class Payload:
    """A pickle that would run a shell command when unpickled by Python's pickle."""

    def __reduce__(self):
        return (os.system, ('touch ' + os.path.join(out, 'PWNED'),))


save('code.pth', {'state_dict': i3d, 'hook': Payload()})
import numpy
save('numpy_meta.pth', {'state_dict': i3d, 'meta': {'best': numpy.float64(0.5)}})

# timm DeiT-Ti distilled: dist_token and head_dist beside the class head (refused: ours has no distillation).
deit = {'cls_token': torch.zeros(1, 1, 192), 'dist_token': torch.zeros(1, 1, 192), 'pos_embed': torch.zeros(1, 198, 192),
        'patch_embed.proj.weight': torch.zeros(192, 3, 16, 16), 'patch_embed.proj.bias': torch.zeros(192),
        'norm.weight': torch.ones(192), 'norm.bias': torch.zeros(192), 'head.weight': torch.zeros(1000, 192),
        'head.bias': torch.zeros(1000), 'head_dist.weight': torch.zeros(1000, 192), 'head_dist.bias': torch.zeros(1000)}
save('timm_deit_distilled.pth', {'model': deit})

print('fixtures written to', out)
