"""Writes the identification benchmark's embeddings as one .npy file each (seeded):
<out>/gallery/g<i>/0.npy for G enrolled identities, <out>/probes/g<i>/1.npy (one mated search per enrolled
identity, until P/2) and <out>/probes/n<j>/0.npy (non-mated searches, identities never enrolled).
Each identity: a random centre plus Gaussian noise of a level drawn per identity, normalised.
"""
import os
import sys

import numpy as np

out, probes, gallery, dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(20261201)
mated = min(probes // 2, gallery)


def person(noise_low, noise_high, count):
    centre = rng.standard_normal(dim).astype(np.float32)
    v = centre + rng.uniform(noise_low, noise_high) * rng.standard_normal((count, dim)).astype(np.float32)
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def save(folder, name, v):
    os.makedirs(folder, exist_ok=True)
    np.save(os.path.join(folder, name), v)


for i in range(gallery):
    v = person(1.0, 3.0, 2)
    save(os.path.join(out, "gallery", f"g{i:05d}"), "0.npy", v[0])
    if i < mated:
        save(os.path.join(out, "probes", f"g{i:05d}"), "1.npy", v[1])
for j in range(probes - mated):
    save(os.path.join(out, "probes", f"n{j:05d}"), "0.npy", person(1.0, 3.0, 1)[0])
