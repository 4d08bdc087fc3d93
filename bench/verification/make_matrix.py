"""Writes N unit vectors of dimension D for N/10 identities as ONE (N, D) .npy plus labels.csv (Identity,Label).

The same recipe as make_vectors.py (identity centres plus noise of a per-identity level, seeded), for the sizes
where one file per vector is beside the point: bench/Measure-VerificationLargeScale.ps1.
"""
import os
import sys

import numpy as np

out, n, dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
identities = n // 10
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261128)
centres = rng.standard_normal((identities, dim)).astype(np.float32)
per = n // identities
x = np.empty((identities * per, dim), dtype=np.float32)
labels = []
for i in range(identities):
    noise = rng.uniform(1.5, 4.0)
    v = centres[i] + noise * rng.standard_normal((per, dim)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    x[i * per:(i + 1) * per] = v
    labels += [f"id{i:05d},id{i:05d}/{k:02d}" for k in range(per)]
np.save(os.path.join(out, "x.npy"), x)
with open(os.path.join(out, "labels.csv"), "w") as f:
    f.write("Identity,Label\n" + "\n".join(labels) + "\n")
