"""The NumPy baseline of bench/Measure-Identification.ps1: the same 1:N figures as Measure-FaceIdentification
(strict rule) from the same .npy files, streamed the same way: the probes in blocks, each block's scores
against the whole gallery one matrix product (OpenBLAS), reduced at once to what the metrics need (mate
score, others at or above it, best non-mated score); no probe x gallery matrix is held.
Prints the load and search times and the figures.
"""
import glob
import os
import sys
import time

import numpy as np

root = sys.argv[1]
block = 1024
t0 = time.perf_counter()
gfiles = sorted(glob.glob(os.path.join(root, "gallery", "*", "*.npy")))
pfiles = sorted(glob.glob(os.path.join(root, "probes", "*", "*.npy")))
G = np.stack([np.load(f) for f in gfiles]).astype(np.float32)
G /= np.linalg.norm(G, axis=1, keepdims=True)  # the template of one image: L2-normalised
P = np.stack([np.load(f) for f in pfiles]).astype(np.float32)
gid = [os.path.basename(os.path.dirname(f)) for f in gfiles]
col = {g: k for k, g in enumerate(gid)}
mate = np.array([col.get(os.path.basename(os.path.dirname(f)), -1) for f in pfiles])
t1 = time.perf_counter()

mated_idx = np.where(mate >= 0)[0]
nm_idx = np.where(mate < 0)[0]
mate_score = np.empty(len(P), np.float32)
above = np.zeros(len(P), np.int64)
best = np.empty(len(P), np.float32)
for b in range(0, len(P), block):
    S = P[b:b + block] @ G.T
    m = mate[b:b + block]
    rows = np.arange(len(S))
    is_m = m >= 0
    ms = np.where(is_m, S[rows, np.maximum(m, 0)], -np.inf)
    S_other = S.copy()
    S_other[rows[is_m], m[is_m]] = -np.inf
    mate_score[b:b + block] = ms
    above[b:b + block] = (S_other >= ms[:, None]).sum(1)
    best[b:b + block] = S_other.max(1)
t2 = time.perf_counter()

ms, rank = mate_score[mated_idx], 1 + above[mated_idx]
nm_max = best[nm_idx]
desc = np.sort(nm_max)[::-1]
cand = np.sort(np.concatenate([nm_max, ms]))
out = [f"load {t1 - t0:.2f} s, search {t2 - t1:.2f} s", f"rank-1 {np.mean(rank <= 1):.4f}"]
for far in [1e-1, 1e-2, 1e-3]:
    allowed = int(np.floor(far * len(nm_max) * (1 + 1e-12)))
    v = desc[allowed] if allowed < len(desc) else -np.inf
    above_v = cand[cand > v]
    T = above_v[0] if len(above_v) else np.nextafter(v, np.inf)
    fnir = np.mean((rank > 1) | (ms < T))
    out.append(f"FPIR {far:g}: T {T:.4f} FNIR {fnir:.4f}")
print("; ".join(out))
