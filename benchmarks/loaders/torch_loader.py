#!/usr/bin/env python3
"""The PyTorch peer of `toolkit bench loader` (issue 22): a torch DataLoader running an mmaction2-style rawframe
pipeline, written here with what mmaction2's transforms do (mmaction2 itself is not installable without PyPI):

  SampleFrames(clip_len=8, frame_interval=1, num_clips=1)  a random window of 8 consecutive frames
  RawFrameDecode                                           file bytes -> cv2.imdecode (mmcv's 'cv2' backend) -> RGB
  Resize(scale=(-1, 256))                                  keep ratio, short side 256 (bilinear)
  RandomResizedCrop(area 0.08-1, aspect 3/4-4/3)           one box per clip, 10 tries then the centre crop
  Resize(scale=(224, 224), keep_ratio=False)               bilinear
  Normalize(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375]), FormatShape('NCTHW')

DataLoader(batch_size=8, shuffle=True, num_workers=WORKERS, persistent_workers=True, prefetch_factor=2); each worker
uses one torch thread and one OpenCV thread. 5 warm-up batches, then BATCHES timed to the consumer. Prints JSON:
{"clips_per_s", "batches_per_s", "seconds", "batches"}. Needs python3-torch and python3-opencv (apt).

usage: torch_loader.py LIST ROOT [BATCHES] [WORKERS]
"""
import json
import math
import os
import random
import sys
import time

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

MEAN = np.array([123.675, 116.28, 103.53], dtype=np.float32)
STD = np.array([58.395, 57.12, 57.375], dtype=np.float32)


def resize_short(img, short):
    h, w = img.shape[:2]
    if h < w:
        nh, nw = short, int(w * short / h + 0.5)
    else:
        nw, nh = short, int(h * short / w + 0.5)
    return cv2.resize(img, (nw, nh), interpolation=cv2.INTER_LINEAR)


def rrc_box(h, w, rng):
    area = h * w
    for _ in range(10):
        target = rng.uniform(0.08, 1.0) * area
        ratio = math.exp(rng.uniform(math.log(3 / 4), math.log(4 / 3)))
        cw = int(round(math.sqrt(target * ratio)))
        ch = int(round(math.sqrt(target / ratio)))
        if 0 < cw <= w and 0 < ch <= h:
            return rng.randint(0, h - ch), rng.randint(0, w - cw), ch, cw
    side = min(h, w)
    return (h - side) // 2, (w - side) // 2, side, side


class Rawframes(Dataset):
    def __init__(self, list_file, root):
        self.items = []
        with open(list_file) as f:
            for line in f:
                parts = line.split()
                if parts:
                    self.items.append((os.path.join(root, parts[0]), int(parts[1]), int(parts[2])))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        folder, total, label = self.items[index]
        rng = random.Random()
        start = rng.randint(0, max(0, total - 8))
        frames = []
        for i in range(8):
            with open(os.path.join(folder, f"img_{start + i + 1:05d}.jpg"), "rb") as f:
                data = np.frombuffer(f.read(), dtype=np.uint8)
            img = cv2.imdecode(data, cv2.IMREAD_COLOR)
            frames.append(resize_short(cv2.cvtColor(img, cv2.COLOR_BGR2RGB), 256))
        h, w = frames[0].shape[:2]
        y, x, ch, cw = rrc_box(h, w, rng)
        clip = np.stack([cv2.resize(f[y:y + ch, x:x + cw], (224, 224), interpolation=cv2.INTER_LINEAR) for f in frames])
        clip = (clip.astype(np.float32) - MEAN) / STD          # T H W C
        return torch.from_numpy(np.ascontiguousarray(clip.transpose(3, 0, 1, 2))), label   # C T H W


def worker_init(_):
    torch.set_num_threads(1)
    cv2.setNumThreads(1)


def main():
    list_file, root = sys.argv[1], sys.argv[2]
    batches = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    workers = int(sys.argv[4]) if len(sys.argv) > 4 else os.cpu_count()
    loader = DataLoader(Rawframes(list_file, root), batch_size=8, shuffle=True, num_workers=workers,
                        persistent_workers=True, prefetch_factor=2, worker_init_fn=worker_init, drop_last=True)
    done, warm, start = 0, 5, None
    while done < warm + batches:
        for inputs, _ in loader:
            assert inputs.shape == (8, 3, 8, 224, 224)
            done += 1
            if done == warm:
                start = time.perf_counter()
            if done == warm + batches:
                break
    seconds = time.perf_counter() - start
    print(json.dumps({"clips_per_s": 8 * batches / seconds, "batches_per_s": batches / seconds, "seconds": seconds, "batches": batches}))


if __name__ == "__main__":
    main()
