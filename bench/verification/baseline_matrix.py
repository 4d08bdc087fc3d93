"""baseline.py on one (N, D) matrix with labels.csv (make_matrix.py): NumPy (OpenBLAS) matrix product,
scikit-learn roc_curve, the InsightFace TAR@FAR lookup and AUC."""
import sys

import numpy as np
from sklearn.metrics import auc, roc_curve

folder = sys.argv[1]
x = np.load(f"{folder}/x.npy")
labels = np.array([line.split(",")[0] for line in open(f"{folder}/labels.csv").read().split("\n")[1:] if line])
_, ids = np.unique(labels, return_inverse=True)
scores_all = x @ x.T
iu = np.triu_indices(len(x), k=1)
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
