"""Writes N unit vectors of dimension D for I identities as one .npy file each, <out>/<identity>/<k>.npy.

Each identity has a random centre; its vectors are the centre plus Gaussian noise of a level drawn per
identity, normalised: genuine pairs mostly score above impostor pairs, with enough overlap that TAR at
low FAR is below 1, as with a real model. Seeded.
"""
import os
import sys

import numpy as np

out, n, dim, identities = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(20261128)
centres = rng.standard_normal((identities, dim)).astype(np.float32)
per = n // identities
for i in range(identities):
    folder = os.path.join(out, f"id{i:04d}")
    os.makedirs(folder, exist_ok=True)
    noise = rng.uniform(1.5, 4.0)
    v = centres[i] + noise * rng.standard_normal((per, dim)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    for k in range(per):
        np.save(os.path.join(folder, f"{k:02d}.npy"), v[k].astype(np.float32))
