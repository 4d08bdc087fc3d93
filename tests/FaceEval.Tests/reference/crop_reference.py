#!/usr/bin/env python3
"""The evaluation guide's crop helper, as Python + OpenCV run it: the reference Get-FaceCrop must match.

usage: crop_reference.py IMAGE OUT_DIR EXPANSION MAX_SIDE x,y,w,h [x,y,w,h ...]
Writes OUT_DIR/<i>.png for each box (MAX_SIDE 0: no bound).
"""
import os
import sys

import cv2


def crop_face(img, box, f=0.2, max_side=256):
    x, y, w, h = box
    H, W = img.shape[:2]
    dw, dh = int(w * f / 2), int(h * f / 2)
    x1, y1 = max(0, x - dw), max(0, y - dh)
    x2, y2 = min(W, x + w + dw), min(H, y + h + dh)
    crop = img[y1:y2, x1:x2]
    if max_side and max(crop.shape[:2]) > max_side:
        scale = max_side / max(crop.shape[:2])
        crop = cv2.resize(crop, (int(crop.shape[1] * scale), int(crop.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    return crop


def main(argv):
    image, out_dir, f, max_side = argv[1], argv[2], float(argv[3]), int(argv[4])
    img = cv2.imread(image)
    if img is None:
        sys.exit(f"cannot read {image}")
    for i, spec in enumerate(argv[5:]):
        box = [int(v) for v in spec.split(",")]
        cv2.imwrite(os.path.join(out_dir, f"{i}.png"), crop_face(img, box, f, max_side))


if __name__ == "__main__":
    main(sys.argv)
