"""Independent check of Measure-FaceIdentification on a folder of embeddings (<root>/<model>/<identity>/*.npy, as the demo writes):
the definitions of issue 17 (strict rule) and InsightFace evaluation_1N transcribed, in NumPy. Every other identity by
name is enrolled with its first image by path (its list goes to <out>/<model>_gallery.txt, for -Gallery).
Usage: python3 check_definitions.py <embeddings root> <out folder>
"""

import glob, os, sys
import numpy as np
root, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
for model in ["dingo", "eagle"]:
    files = sorted(glob.glob(f"{root}/{model}/*/*.npy"))
    ids = [os.path.basename(os.path.dirname(f)) for f in files]
    people = sorted(set(ids))
    enrolled = set(people[::2])            # s1, s11, s13, ... every other by name
    g, gid, p, pid = [], [], [], []
    seen = set()
    for f, i in zip(files, ids):
        v = np.load(f).astype(np.float32)
        if i in enrolled and i not in seen:
            seen.add(i); g.append(v / np.linalg.norm(v)); gid.append(i); open(os.path.join(outdir, f"{model}_gallery.txt"), "a").write(f + "\n")
        else:
            p.append(v); pid.append(i)
    G, P = np.array(g), np.array(p)
    S = P @ G.T
    gid = np.array(gid); pid = np.array(pid)
    mated = np.isin(pid, gid)
    mate_col = np.array([np.where(gid == q)[0][0] if m else -1 for q, m in zip(pid, mated)])
    # strict definitions
    ms = S[mated, mate_col[mated]]
    others = S[mated].copy(); others[np.arange(mated.sum()), mate_col[mated]] = -np.inf
    rank = 1 + (others >= ms[:, None]).sum(1)
    nm_max = S[~mated].max(1)
    n = len(nm_max)
    cand = np.unique(np.concatenate([nm_max, ms]))
    out = [model, f"rank1={np.mean(rank <= 1):.6f}"]
    for far in [0.1, 0.01]:
        ok = [t for t in cand if np.mean(nm_max >= t) <= far]
        T = min(ok)
        fnir = np.mean((rank > 1) | (ms < T))
        sel = (S[~mated] >= T).sum(1).mean()
        out.append(f"strict far={far}: T={T:.6f} FNIR={fnir:.6f} FPIR={np.mean(nm_max >= T):.4f} SEL={sel:.4f}")
    # evaluation_1N transcribed (ijb_evals.py)
    pos_sims = ms; neg_max = others.max(1)
    correct = pos_sims > neg_max
    srt = np.sort(nm_max)[::-1]
    for far in [0.1]:
        th = srt[max(int(srt.shape[0] * far) - 1, 0)]
        out.append(f"insightface far={far}: T={th:.6f} TPIR={np.logical_and(correct, pos_sims > th).sum() / pos_sims.shape[0]:.6f}")
    print("\n  ".join(out))
