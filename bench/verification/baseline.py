"""The Python baseline of bench/Measure-VerificationScale.ps1: the usual evaluation script.

Reads every <root>/<identity>/*.npy, scores all pairs i < j by a matrix product (NumPy over OpenBLAS),
computes the ROC with scikit-learn's roc_curve and reads TAR at each FAR the way InsightFace's IJB 1:1
script does (nearest FPR on the flipped arrays), plus AUC. Prints what it found.
"""
import glob
import os
import sys

import numpy as np
from sklearn.metrics import auc, roc_curve

root = sys.argv[1]
files = sorted(glob.glob(os.path.join(root, "*", "*.npy")))
x = np.stack([np.load(f) for f in files]).astype(np.float32)
labels = np.array([os.path.basename(os.path.dirname(f)) for f in files])
_, ids = np.unique(labels, return_inverse=True)

scores_all = x @ x.T
iu = np.triu_indices(len(files), k=1)
scores = scores_all[iu]
del scores_all
match = (ids[iu[0]] == ids[iu[1]]).astype(np.int8)
del iu

fpr, tpr, _ = roc_curve(match, scores)
roc_auc = auc(fpr, tpr)
fpr = np.flipud(fpr)
tpr = np.flipud(tpr)
print(f"pairs {len(scores)} genuine {int(match.sum())} AUC {roc_auc:.6f}")
for far in [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6]:
    k = np.argmin(np.abs(fpr - far))
    print(f"TAR@FAR={far:g}: {tpr[k]:.4f} (achieved {fpr[k]:.2e})")
