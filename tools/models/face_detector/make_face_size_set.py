#!/usr/bin/python3
"""Build the labelled face-size set: real faces pasted at known positions and sizes onto face-free pictures.

Every frame is 1280x720 (a 720p video frame). Each face frame holds ONE face whose box (forehead to chin, the
face-api.js style box drawn by hand on the source photo) is `size` x 1280 pixels wide, at a random position
(seeded) fully inside the frame. The pasted patch is the face box plus half a face width/height of its own
surroundings (hair, neck, collar), clipped to the source photo, with a feathered edge so no hard rectangle is left.
Face-free frames are the backgrounds alone (several crops and mirrors each), for false positives.

Sources (all shipped by Debian packages, none is committed to the repository):
  faces        skimage astronaut       public domain (NASA, "no known copyright restrictions")
               skimage camera          CC0 (Lav Varshney); a face in three-quarter profile behind a camera
               matplotlib grace_hopper public domain (US Navy photo), python3-matplotlib sample data
  backgrounds  skimage coffee, chelsea (CC0, the photographers), rocket (public domain, SpaceX),
               brick, grass, gravel (CC0, CC0Textures / DeviantArt CC0), hubble_deep_field (public domain, NASA),
               immunohistochemistry, coins (no known copyright restrictions)

Output: <out>/frames/*.jpg (JPEG quality 90, like a decoded video frame) and <out>/labels.json:
  {"width":1280,"height":720,"frames":[{"file":"frames/x.jpg","size":0.05,"faces":[[x0,y0,x1,y1]],
   "face":"astronaut","background":"coffee"}, ...]}   size = null for face-free frames
Deterministic (seed 7). Runtime: ~20 s.

Usage: /usr/bin/python3 make_face_size_set.py --out /tmp/face-sizes
       then: ./mvnw -B -q -pl services/video-analysis-service test-compile exec:java -Dexec.classpathScope=test \
             -Dexec.mainClass=io.pawfiler.video.pipeline.FaceSizeEvaluation -Dexec.args=/tmp/face-sizes
       (see MODEL_CARD-face-detector.md)
"""
import argparse
import json
import os
import sys

import cv2
import numpy as np
from skimage import data as skd

WIDTH, HEIGHT = 1280, 720
SIZES = (0.03, 0.05, 0.06, 0.08, 0.12, 0.20, 0.30, 0.40)
GRACE_HOPPER = "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"

# hand-drawn face boxes (x0, y0, x1, y1) in the source photos, as in convert_tiny_face_detector.py
FACES = {
    "astronaut": (lambda: skd.astronaut(), (163, 75, 278, 186)),
    "camera": (lambda: gray_to_rgb(skd.camera()), (188, 129, 259, 201)),
    "grace_hopper": (lambda: cv2.cvtColor(cv2.imread(GRACE_HOPPER, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB),
                     (141, 136, 382, 351)),
}
BACKGROUNDS = ["coffee", "chelsea", "rocket", "brick", "grass", "gravel", "hubble_deep_field",
               "immunohistochemistry", "coins"]


def gray_to_rgb(im):
    return np.stack([im] * 3, -1) if im.ndim == 2 else im[..., :3]


def background(name, variant):
    """The picture resized to cover 1280x720; variant 0..3 picks the crop (centre / start / end) and mirror."""
    im = gray_to_rgb(getattr(skd, name)())
    h, w = im.shape[:2]
    s = max(WIDTH / w, HEIGHT / h) * (1.0 if variant % 2 == 0 else 1.25)
    big = cv2.resize(im, (int(np.ceil(w * s)), int(np.ceil(h * s))), interpolation=cv2.INTER_CUBIC)
    bh, bw = big.shape[:2]
    fx = (0.5, 0.0, 1.0, 0.5)[variant % 4]
    x = int((bw - WIDTH) * fx)
    y = int((bh - HEIGHT) * (1 - fx))
    out = big[y:y + HEIGHT, x:x + WIDTH]
    return np.ascontiguousarray(out[:, ::-1] if variant >= 2 else out)


def face_patch(rgb, box, flip):
    """The face box plus half a box of surroundings on each side (clipped to the photo), and the box inside it."""
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    h, w = rgb.shape[:2]
    px0, py0 = max(0, int(x0 - bw / 2)), max(0, int(y0 - bh / 2))
    px1, py1 = min(w, int(x1 + bw / 2)), min(h, int(y1 + bh / 2))
    patch = rgb[py0:py1, px0:px1]
    inner = (x0 - px0, y0 - py0, x1 - px0, y1 - py0)
    if flip:
        pw = px1 - px0
        patch = patch[:, ::-1]
        inner = (pw - inner[2], inner[1], pw - inner[0], inner[3])
    return np.ascontiguousarray(patch), inner


def paste(frame, patch, inner, size, rng):
    """Scales the patch so that its face box is size*WIDTH wide and pastes it with the box inside the frame."""
    s = size * WIDTH / (inner[2] - inner[0])
    ph, pw = patch.shape[:2]
    nw, nh = max(1, round(pw * s)), max(1, round(ph * s))
    scaled = cv2.resize(patch, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)
    fx0, fy0, fx1, fy1 = (v * s for v in inner)
    # the face box must lie inside the frame: choose its top-left corner
    bx = rng.uniform(0, WIDTH - (fx1 - fx0))
    by = rng.uniform(0, HEIGHT - (fy1 - fy0))
    ox, oy = int(round(bx - fx0)), int(round(by - fy0))
    # feathered alpha: 1 inside, ramping to 0 over the outer 12% of the patch
    ramp = max(2.0, 0.12 * min(nw, nh))
    ax = np.clip(np.minimum(np.arange(nw) + 0.5, nw - np.arange(nw) - 0.5) / ramp, 0, 1)
    ay = np.clip(np.minimum(np.arange(nh) + 0.5, nh - np.arange(nh) - 0.5) / ramp, 0, 1)
    alpha = (ay[:, None] * ax[None, :])[..., None]
    # clip the patch to the frame
    x0, y0 = max(0, ox), max(0, oy)
    x1, y1 = min(WIDTH, ox + nw), min(HEIGHT, oy + nh)
    region = frame[y0:y1, x0:x1].astype(np.float32)
    src = scaled[y0 - oy:y1 - oy, x0 - ox:x1 - ox].astype(np.float32)
    a = alpha[y0 - oy:y1 - oy, x0 - ox:x1 - ox]
    frame[y0:y1, x0:x1] = np.clip(region * (1 - a) + src * a + 0.5, 0, 255).astype(np.uint8)
    return [round(ox + fx0, 1), round(oy + fy0, 1), round(ox + fx1, 1), round(oy + fy1, 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    os.makedirs(os.path.join(args.out, "frames"), exist_ok=True)
    faces = {name: (load(), box) for name, (load, box) in FACES.items()}
    frames = []

    def write(name, rgb, entry):
        path = os.path.join("frames", name + ".jpg")
        cv2.imwrite(os.path.join(args.out, path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
        entry["file"] = path
        frames.append(entry)

    for bg in BACKGROUNDS:
        for variant in range(4):
            write(f"none-{bg}-{variant}", background(bg, variant),
                  {"size": None, "faces": [], "face": None, "background": bg})
    for size in SIZES:
        for face, (rgb, box) in faces.items():
            for flip in (False, True):
                for i, bg in enumerate(BACKGROUNDS):
                    frame = background(bg, int(rng.integers(4)))
                    patch, inner = face_patch(rgb, box, flip)
                    gt = paste(frame, patch, inner, size, rng)
                    write(f"s{round(size * 100):02d}-{face}-{'m' if flip else 'o'}-{bg}", frame,
                          {"size": size, "faces": [gt], "face": face, "background": bg})
    with open(os.path.join(args.out, "labels.json"), "w") as f:
        json.dump({"width": WIDTH, "height": HEIGHT, "seed": args.seed, "frames": frames}, f, indent=1)
    print(f"wrote {len(frames)} frames ({sum(1 for e in frames if e['faces'])} with a face) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
