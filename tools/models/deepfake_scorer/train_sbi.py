#!/usr/bin/python3
"""Train a small Self-Blended-Images (SBI) baseline deepfake scorer and export it to ONNX.

Self-Blended Images (Shiohara & Yamasaki, CVPR 2022): a "fake" is made from ONE real face by blending
a colour/geometry-perturbed copy of the face back into the original through a soft face mask. The
classifier learns blending artefacts (boundaries, colour/sharpness mismatch) instead of one generator's
fingerprint. This is a tiny baseline: three public-domain/CC0 source faces (plus random "pseudo-face"
windows of CC0/public-domain pictures, blended the same way), synthetic fakes only.

Real faces are cropped with the face detector of ../face_detector (its ONNX model + Python decode),
so training crops look like the crops the video-analysis service feeds the scorer:
  box from the detector, expanded by faceMargin=0.3 of its width/height on each side, clipped to the
  image, resized to 128x128 (no aspect preservation), RGB, (x/255 - ImageNet mean) / ImageNet std.

Usage:
  /usr/bin/python3 train_sbi.py --out ../../../services/video-analysis-service/src/main/resources/models \
      [--faceapi-package /tmp/faceapi/package]   # optional: held-out evaluation on the face-api demo photos
Prints the metrics it reports in MODEL_CARD-deepfake-scorer.md. Seeds are fixed (numpy + torch); with the
same library versions and thread count the run is reproducible.
"""
import argparse
import json
import os
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "face_detector"))
import convert_tiny_face_detector as fd  # noqa: E402  (reference face detector decode)
import calibrate as cal  # noqa: E402  (calibration + decision band from held-out faces)

SIZE = 128
FACE_MARGIN = 0.3
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
SEED = 1234


# ---------------------------------------------------------------------------------------------
# Source faces
# ---------------------------------------------------------------------------------------------
def training_sources():
    """(id, RGB uint8 image, licence). Only images whose licence allows this use."""
    from skimage import data as skd
    gray_cam = skd.camera()
    hopper = cv2.cvtColor(cv2.imread("/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"),
                          cv2.COLOR_BGR2RGB)
    return [
        ("astronaut", skd.astronaut(), "public domain (NASA), scikit-image data"),
        ("camera", np.stack([gray_cam] * 3, -1), "CC0 (Lav Varshney), scikit-image data"),
        ("grace_hopper", hopper, "public domain (US Navy), matplotlib sample data"),
    ]


def heldout_sources(package_dir, tracking_dir=None):
    """Evaluation-only photos (licence not stated): the face-api demo pictures, never trained on; optionally the
    tracking.js npm package's example photo (examples/assets/faces.jpg, a TV promo still: the package's BSD
    licence covers its code, not that photo)."""
    out = []
    for i in range(1, 7):
        p = os.path.join(package_dir, "demo", f"sample{i}.jpg")
        bgr = cv2.imread(p)
        if bgr is not None:
            out.append((f"sample{i}", cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), "face-api demo (evaluation only)"))
    if tracking_dir:
        bgr = cv2.imread(os.path.join(tracking_dir, "examples", "assets", "faces.jpg"))
        if bgr is None:
            raise SystemExit(f"no examples/assets/faces.jpg under {tracking_dir}")
        out.append(("tracking-faces", cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), "tracking.js example (evaluation only)"))
    return out


CONTEXT_IMAGES = [  # scikit-image data, each CC0 / public domain / "no known copyright restrictions"
    "astronaut", "camera", "chelsea", "coffee", "rocket", "hubble_deep_field", "coins", "immunohistochemistry",
    "retina", "cell", "brick", "grass", "gravel", "clock"]


JXL_TESTDATA = "/usr/share/libjxl-testdata"  # Debian package libjxl-testdata
JXL_CONTEXT = [  # CC0 photos (wesaturate.com, per external/wesaturate/README.md + Debian copyright) and the
    # project's own flower picture (BSD-3-clause, the JPEG XL Project Authors): no faces, natural photo statistics
    "external/wesaturate/500px/cvo9xd_keong_macan_srgb8.png",
    "external/wesaturate/500px/tmshre_riaphotographs_srgb8.png",
    "external/wesaturate/500px/u76c0g_bliznaca_srgb8.png",
    "jxl/flower/flower.png"]


def context_sources():
    """Face-free (or not face-centred) pictures used for 'pseudo-face' self-blends: random windows get the very
    same SBI treatment as faces. With only three real faces this is what keeps the network from learning
    "real = one of these three people": it has to find the blending inconsistency itself."""
    from skimage import data as skd
    out = []
    for name in CONTEXT_IMAGES:
        im = getattr(skd, name)()
        if im.ndim == 2:
            im = np.stack([im] * 3, -1)
        out.append((name, np.ascontiguousarray(im[..., :3]).astype(np.uint8)))
    hopper = cv2.imread("/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg")
    out.append(("grace_hopper", cv2.cvtColor(hopper, cv2.COLOR_BGR2RGB)))
    if EXTRA_CONTEXT:
        for rel in JXL_CONTEXT:
            bgr = cv2.imread(os.path.join(JXL_TESTDATA, rel), cv2.IMREAD_COLOR)
            if bgr is None:
                raise SystemExit(f"missing {JXL_TESTDATA}/{rel}: apt-get install -y libjxl-testdata "
                                 f"(or --no-extra-context for the sbi-baseline-1 data)")
            out.append(("jxl:" + os.path.basename(rel), cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
    return out


EXTRA_CONTEXT = True


def pseudo_faces(per_image, seed):
    rng = np.random.default_rng(seed)
    faces = []
    for name, img in context_sources():
        h, w = img.shape[:2]
        for _ in range(per_image):
            side = rng.uniform(0.18, 0.4) * min(h, w)
            bw, bh = side, side * rng.uniform(0.95, 1.2)
            x0, y0 = rng.uniform(0, w - bw), rng.uniform(0, max(1, h - bh))
            faces.append(Face("ctx:" + name, img, (x0, y0, x0 + bw, min(h, y0 + bh))))
    return faces


class Face:
    """A detected face: a generous crop around it (margin 0.6, so augmentation can zoom out) and the
    detector box inside that crop. Big faces are downscaled so the box is at most MAX_BOX px: the scorer
    sees 128x128 crops anyway, and it keeps the blending cheap."""
    MAX_BOX = 112

    def __init__(self, source_id, img, box):
        h, w = img.shape[:2]
        x0, y0, x1, y1 = box
        bw, bh = x1 - x0, y1 - y0
        cx0, cy0 = int(max(0, x0 - 0.6 * bw)), int(max(0, y0 - 0.6 * bh))
        cx1, cy1 = int(min(w, x1 + 0.6 * bw)), int(min(h, y1 + 0.6 * bh))
        crop = img[cy0:cy1, cx0:cx1]
        f = min(1.0, self.MAX_BOX / max(bw, bh))
        if f < 1.0:
            crop = cv2.resize(crop, (round(crop.shape[1] * f), round(crop.shape[0] * f)), interpolation=cv2.INTER_AREA)
        self.source_id = source_id
        self.img = np.ascontiguousarray(crop)
        self.box = ((x0 - cx0) * f, (y0 - cy0) * f, (x1 - cx0) * f, (y1 - cy0) * f)
        self.gray = bool(np.all(img[..., 0] == img[..., 1]) and np.all(img[..., 1] == img[..., 2]))


def detect_faces(sources, onnx_path):
    run = fd.cv2_runner(onnx_path)
    faces = []
    for sid, img, _ in sources:
        for det in fd.detect_with(run, img):
            faces.append(Face(sid, img, det[1:]))
    return faces


def crop_for_scorer(img, box, margin=FACE_MARGIN):
    """Exactly what the service does: expand the box by margin*size per side, clip, resize to 128x128."""
    h, w = img.shape[:2]
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    a0, b0 = int(round(max(0, x0 - margin * bw))), int(round(max(0, y0 - margin * bh)))
    a1, b1 = int(round(min(w, x1 + margin * bw))), int(round(min(h, y1 + margin * bh)))
    crop = img[b0:b1, a0:a1]
    interp = cv2.INTER_AREA if crop.shape[0] > SIZE else cv2.INTER_LINEAR
    return cv2.resize(crop, (SIZE, SIZE), interpolation=interp)


# ---------------------------------------------------------------------------------------------
# Self-blending
# ---------------------------------------------------------------------------------------------
def color_jitter(img, rng):
    """HSV shift, brightness/contrast, RGB shift (SBI's source-target augmentation)."""
    x = img.astype(np.float32)
    if rng.random() < 0.7:
        hsv = cv2.cvtColor(np.clip(x, 0, 255).astype(np.uint8), cv2.COLOR_RGB2HSV).astype(np.float32)
        hsv[..., 0] = (hsv[..., 0] + rng.uniform(-8, 8)) % 180
        hsv[..., 1] = np.clip(hsv[..., 1] * rng.uniform(0.75, 1.3), 0, 255)
        hsv[..., 2] = np.clip(hsv[..., 2] * rng.uniform(0.8, 1.2), 0, 255)
        x = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB).astype(np.float32)
    if rng.random() < 0.7:
        x = (x - 128) * rng.uniform(0.8, 1.25) + 128 + rng.uniform(-25, 25)
    if rng.random() < 0.7:
        x = x + rng.uniform(-20, 20, size=3).astype(np.float32)
    return x


def sharpness_jitter(img, rng):
    r = rng.random()
    if r < 0.3:
        k = rng.choice([3, 5])
        return cv2.GaussianBlur(img, (k, k), 0)
    if r < 0.55:
        blur = cv2.GaussianBlur(img, (0, 0), 1.5)
        return img + rng.uniform(0.3, 1.0) * (img - blur)  # unsharp mask
    if r < 0.75:  # resolution loss
        h, w = img.shape[:2]
        f = rng.uniform(0.4, 0.8)
        small = cv2.resize(img, (max(4, int(w * f)), max(4, int(h * f))), interpolation=cv2.INTER_AREA)
        return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return img


def blend_mask(shape, box, rng):
    """Soft elliptical face mask, randomly sized and elastically deformed, blurred edges, in [0,1]."""
    h, w = shape[:2]
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2 + rng.uniform(-0.05, 0.05) * bw
    cy = (y0 + y1) / 2 + rng.uniform(-0.03, 0.08) * bh
    ax, ay = bw * rng.uniform(0.32, 0.52), bh * rng.uniform(0.38, 0.6)
    mask = np.zeros((h, w), np.float32)
    cv2.ellipse(mask, (int(cx), int(cy)), (max(2, int(ax)), max(2, int(ay))), rng.uniform(-15, 15), 0, 360, 1.0, -1)
    # elastic deformation of the outline
    alpha = rng.uniform(0.0, 0.12) * min(bw, bh)
    # smooth random displacement field: coarse noise (about 6x6 per face box) upsampled bicubically
    gh, gw = max(2, int(6 * h / bh)), max(2, int(6 * w / bw))
    dx = cv2.resize(rng.uniform(-1, 1, (gh, gw)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    dy = cv2.resize(rng.uniform(-1, 1, (gh, gw)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    dx *= alpha / (np.abs(dx).max() + 1e-6)
    dy *= alpha / (np.abs(dy).max() + 1e-6)
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    mask = cv2.remap(mask, gx + dx, gy + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    if rng.random() < 0.3:  # erode/dilate
        k = max(1, int(rng.uniform(0.02, 0.08) * bw)) * 2 + 1
        op = cv2.erode if rng.random() < 0.5 else cv2.dilate
        mask = op(mask, np.ones((k, k), np.uint8))
    ksig = rng.uniform(0.02, 0.12) * bw
    mask = cv2.GaussianBlur(mask, (0, 0), max(0.5, ksig))
    mask /= max(mask.max(), 1e-6)
    return mask


def self_blend(face, rng):
    """SBI: jitter a copy of the face (colour, sharpness, slight scale/shift) and blend it back."""
    tgt = face.img.astype(np.float32)
    src = tgt.copy()
    if rng.random() < 0.5:  # perturb the source, or the target (then the outside looks different)
        src = sharpness_jitter(color_jitter(src, rng), rng)
    else:
        tgt = sharpness_jitter(color_jitter(tgt, rng), rng)
    h, w = src.shape[:2]
    s = rng.uniform(0.95, 1.05)
    tx, ty = rng.uniform(-0.03, 0.03) * w, rng.uniform(-0.03, 0.03) * h
    cx, cy = (face.box[0] + face.box[2]) / 2, (face.box[1] + face.box[3]) / 2
    m = np.array([[s, 0, (1 - s) * cx + tx], [0, s, (1 - s) * cy + ty]], np.float32)
    src = cv2.warpAffine(src, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    mask = blend_mask(src.shape, face.box, rng) * rng.choice([0.25, 0.5, 0.75, 1.0, 1.0, 1.0])
    out = mask[..., None] * src + (1 - mask[..., None]) * tgt
    return np.clip(out, 0, 255).astype(np.uint8)


def common_augment(img, face, rng, gray):
    """Applied identically to reals and fakes: crop jitter, flip, resolution, global colour, JPEG."""
    x0, y0, x1, y1 = face.box
    bw, bh = x1 - x0, y1 - y0
    jx, jy = rng.uniform(-0.06, 0.06) * bw, rng.uniform(-0.06, 0.06) * bh
    sc = rng.uniform(0.92, 1.08)
    box = (x0 + jx + (1 - sc) * bw / 2, y0 + jy + (1 - sc) * bh / 2,
           x1 + jx - (1 - sc) * bw / 2, y1 + jy - (1 - sc) * bh / 2)
    crop = crop_for_scorer(img, box, margin=rng.uniform(0.22, 0.38))
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    if rng.random() < 0.3:  # small faces in video: lower resolution
        f = rng.uniform(0.45, 0.9)
        small = cv2.resize(crop, (int(SIZE * f), int(SIZE * f)), interpolation=cv2.INTER_AREA)
        crop = cv2.resize(small, (SIZE, SIZE), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.5:
        crop = np.clip((crop.astype(np.float32) - 128) * rng.uniform(0.85, 1.15) + 128 + rng.uniform(-15, 15),
                       0, 255).astype(np.uint8)
    if gray or rng.random() < 0.05:
        g = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)
        crop = np.stack([g] * 3, -1)
    if rng.random() < 0.85:
        ok, enc = cv2.imencode(".jpg", np.ascontiguousarray(crop[..., ::-1]),
                               [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(60, 101))])
        crop = cv2.imdecode(enc, cv2.IMREAD_COLOR)[..., ::-1]
    return np.ascontiguousarray(crop)


def global_perturb(face, rng):
    """The SBI perturbations (colour, sharpness, slight scale/shift) applied to the WHOLE crop, with no
    blending boundary. Used for reals, so that a changed global appearance is not evidence of a fake:
    only an inconsistency between the face region and its surroundings is. With just three training
    identities this matters: otherwise the net learns "looks exactly like these three photos = real"."""
    img = face.img.astype(np.float32)
    if rng.random() < 0.5:
        img = sharpness_jitter(color_jitter(img, rng), rng)
    h, w = img.shape[:2]
    s = rng.uniform(0.95, 1.05)
    cx, cy = (face.box[0] + face.box[2]) / 2, (face.box[1] + face.box[3]) / 2
    m = np.array([[s, 0, (1 - s) * cx + rng.uniform(-0.03, 0.03) * w],
                  [0, s, (1 - s) * cy + rng.uniform(-0.03, 0.03) * h]], np.float32)
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return np.clip(img, 0, 255).astype(np.uint8)


def make_pair(face, rng):
    """(real 128x128 RGB, fake 128x128 RGB) from one face."""
    real = common_augment(global_perturb(face, rng), face, rng, face.gray)
    fake = common_augment(self_blend(face, rng), face, rng, face.gray)
    return real, fake


def to_tensor(batch_rgb):
    x = np.stack(batch_rgb).astype(np.float32) / 255.0
    x = (x - MEAN) / STD
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


# ---------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------
def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SbiNet(nn.Module):
    """Stem conv (128->64) + 4 conv blocks (->4x4), global average pool, linear -> one 'fake' logit [N,1].
    ~424k parameters, ~31 M multiply-adds per 128x128 crop: cheap enough to score many crops per video on CPU."""

    def __init__(self, stem=16, widths=(24, 48, 96, 128)):
        super().__init__()
        layers = [nn.Conv2d(3, stem, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(stem), nn.ReLU(inplace=True)]
        cin = stem
        for w in widths:
            layers.append(block(cin, w))
            cin = w
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Linear(cin, 1)

    def forward(self, x):
        x = self.features(x)
        x = x.mean(dim=(2, 3))
        return self.head(self.dropout(x))


# ---------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------
def auc(scores, labels):
    """ROC AUC via the Mann-Whitney U statistic (ties count half)."""
    scores, labels = np.asarray(scores, np.float64), np.asarray(labels)
    pos, neg = scores[labels == 1], scores[labels == 0]
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order), np.float64)
    allv = np.concatenate([pos, neg])[order]
    i = 0
    while i < len(allv):  # average ranks over ties
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return (ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def predict(net, images, bs=64):
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(images), bs):
            out.append(net(to_tensor(images[i:i + bs])).reshape(-1).numpy())
    return np.concatenate(out)


def evaluate(scorer, name, reals, fakes):
    """scorer: images -> logits (a torch net through `predict`, or the exported model through `onnx_logits`)."""
    logits = scorer(reals + fakes)
    labels = np.array([0] * len(reals) + [1] * len(fakes))
    a = auc(logits, labels)
    acc = float(((logits > 0).astype(int) == labels).mean())  # sigmoid(logit) > 0.5
    tnr = float((logits[:len(reals)] <= 0).mean())
    tpr = float((logits[len(reals):] > 0).mean())
    print(f"  {name:58s} n={len(reals)}+{len(fakes)}  AUC={a:.3f}  acc@0.5={acc:.3f}  "
          f"real-as-real={tnr:.3f}  fake-as-fake={tpr:.3f}")
    return {"auc": round(a, 4), "acc": round(acc, 4), "tnr": round(tnr, 4), "tpr": round(tpr, 4),
            "n_real": len(reals), "n_fake": len(fakes)}


def eval_set(faces, n_per_face, seed):
    rng = np.random.default_rng(seed)
    reals, fakes = [], []
    for f in faces:
        for _ in range(n_per_face):
            r, k = make_pair(f, rng)
            reals.append(r)
            fakes.append(k)
    return reals, fakes


def naive_swaps(faces, n, seed):
    """Cross-identity blends: face B resized onto face A's box and blended with the soft mask, after
    matching B's colour statistics to A (a crude face swap, a harder/different fake than SBI)."""
    rng = np.random.default_rng(seed)
    reals, fakes = [], []
    for _ in range(n):
        a, b = rng.choice(len(faces), 2, replace=False)
        fa, fb = faces[a], faces[b]
        ax0, ay0, ax1, ay1 = [int(v) for v in fa.box]
        bx0, by0, bx1, by1 = [int(v) for v in fb.box]
        src_face = cv2.resize(fb.img[by0:by1, bx0:bx1], (ax1 - ax0, ay1 - ay0)).astype(np.float32)
        tgt = fa.img.astype(np.float32)
        region = tgt[ay0:ay1, ax0:ax1]
        src_face = (src_face - src_face.mean((0, 1))) / (src_face.std((0, 1)) + 1e-6) * region.std((0, 1)) \
            + region.mean((0, 1))
        src = tgt.copy()
        src[ay0:ay1, ax0:ax1] = src_face
        mask = blend_mask(tgt.shape, fa.box, rng)
        fake = np.clip(mask[..., None] * src + (1 - mask[..., None]) * tgt, 0, 255).astype(np.uint8)
        fakes.append(common_augment(fake, fa, rng, fa.gray))
        reals.append(common_augment(fa.img, fa, rng, fa.gray))
    return reals, fakes


def heldout_clips(faces, clips_per_kind, seed, per_clip=cal.CROPS_PER_CLIP):
    """Simulated clips of held-out faces (see calibrate.py): per face, clips_per_kind augmented-real,
    clips_per_kind clean-real and 2*clips_per_kind SBI-fake clips (balanced), per_clip crops each."""
    rng = np.random.default_rng(seed)
    clips = []
    for f in faces:
        for kind, n in (("real_aug", clips_per_kind), ("real_clean", clips_per_kind), ("fake", 2 * clips_per_kind)):
            for _ in range(n):
                crops = []
                for _ in range(per_clip):
                    if kind == "real_aug":
                        crops.append(common_augment(global_perturb(f, rng), f, rng, f.gray))
                    elif kind == "real_clean":
                        crops.append(common_augment(f.img, f, rng, f.gray))
                    else:
                        crops.append(common_augment(self_blend(f, rng), f, rng, f.gray))
                clips.append((f.source_id, kind, crops))
    return clips


def onnx_logits(onnx_path, images, bs=32):
    """The exported model through OpenCV DNN: what the service runs (ONNX Runtime there)."""
    dnn = cv2.dnn.readNetFromONNX(onnx_path)
    out = []
    for i in range(0, len(images), bs):
        dnn.setInput(to_tensor(images[i:i + bs]).numpy())
        out.append(dnn.forward().reshape(-1))
    return np.concatenate(out).astype(np.float64)


def lfw_faces():
    """scikit-image's lfw_subset: 100 tight 25x25 grayscale LFW face crops (photos from the web; no licence
    stated for them): EVALUATION ONLY, never trained on, never used for the calibration or the band."""
    from skimage import data as skd
    faces = []
    for i, im in enumerate(skd.lfw_subset()[:100]):
        g = np.clip(im * 255, 0, 255).astype(np.uint8)
        faces.append(Face(f"lfw{i}", np.stack([g] * 3, -1), (0, 0, g.shape[1], g.shape[0])))
    return faces


def calibrate_exported(onnx_path, held_faces, seed, clips_per_kind):
    clips = heldout_clips(held_faces, clips_per_kind, seed)
    crops = [c for _, _, cs in clips for c in cs]
    logits = onnx_logits(onnx_path, crops)
    per = cal.CROPS_PER_CLIP
    held = cal.HeldOut([(photo, kind, logits[i * per:(i + 1) * per]) for i, (photo, kind, _) in enumerate(clips)])
    calibration, decision = cal.calibrate(held, n_faces=len(held_faces))
    return calibration, decision


def lfw_check(onnx_path, calibration, decision, seed):
    """Genuine low-resolution faces (eval only): how often the band calls them FAKE; SBI fakes of them for AUC."""
    faces = lfw_faces()
    rng = np.random.default_rng(seed)
    clean = [[crop_for_scorer(f.img, f.box)] for f in faces]
    fakes = [[common_augment(self_blend(f, rng), f, rng, True)] for f in faces]
    lr = onnx_logits(onnx_path, [c[0] for c in clean])
    lf = onnx_logits(onnx_path, [c[0] for c in fakes])
    a, b = calibration["a"], calibration["b"]
    pr, pf = cal.sigmoid(a * lr + b), cal.sigmoid(a * lf + b)
    fb, rb = decision["fakeAtOrAbove"], decision["realAtOrBelow"]
    return {"n": len(faces), "aucCleanVsSbi": round(cal.auc(np.concatenate([pr, pf]),
                                                            np.array([0] * len(pr) + [1] * len(pf))), 4),
            "meanCalibratedReal": round(float(pr.mean()), 4), "meanRawReal": round(float(cal.sigmoid(lr).mean()), 4),
            "realCalledFake": round(float((pr >= fb).mean()), 4) if fb is not None else 0.0,
            "realCalledReal": round(float((pr <= rb).mean()), 4) if rb is not None else 0.0,
            "fakeCalledReal": round(float((pf <= rb).mean()), 4) if rb is not None else 0.0,
            "note": "single 25x25 crops (no margin, grayscale), outside the crop contract: a stress check only"}


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------
def train(faces, steps, seed, context=(), batch_pairs=32, log_every=100):
    """Half of the pairs come from the real faces, half from pseudo-face windows of the context pictures."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = SbiNet()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps, pct_start=0.1)
    t0 = time.time()
    running = []
    for step in range(1, steps + 1):
        net.train()
        imgs, labels = [], []
        for _ in range(batch_pairs):
            pool = context if len(context) and rng.random() < 0.5 else faces
            r, k = make_pair(pool[rng.integers(len(pool))], rng)
            imgs += [r, k]
            labels += [0.0, 1.0]
        logits = net(to_tensor(imgs)).reshape(-1)
        loss = F.binary_cross_entropy_with_logits(logits, torch.tensor(labels))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running.append(float(loss))
        if step % log_every == 0 or step == steps:
            print(f"    step {step}/{steps} loss {np.mean(running[-log_every:]):.4f} ({time.time() - t0:.0f}s)")
    net.eval()
    return net


def export(net, path):
    import onnx
    net.eval()
    dummy = torch.zeros(1, 3, SIZE, SIZE)
    torch.onnx.export(net, dummy, path, input_names=["input"], output_names=["output"], opset_version=17,
                      do_constant_folding=True, dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    onnx.checker.check_model(onnx.load(path), full_check=True)


def manifest(version, calibration=None, decision=None):
    m = {
        "name": "sbi-baseline",
        "version": version,
        "file": "deepfake-scorer.onnx",
        "input": {"name": "input", "layout": "NCHW", "width": SIZE, "height": SIZE, "channelOrder": "RGB",
                  "scale": 255.0, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
        "output": {"name": "output", "kind": "logit", "fakeIndex": 0},
        "faceMargin": FACE_MARGIN,
    }
    # Without held-out data there is no calibration and no band: the service then never says FAKE or REAL.
    if calibration is not None:
        m["calibration"] = calibration
        m["decision"] = decision
    return m


def main():
    global EXTRA_CONTEXT
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True, help="models dir (face-detector.onnx must already be there)")
    ap.add_argument("--faceapi-package", help="unpacked @vladmandic/face-api package: held-out evaluation, "
                                              "calibration and decision band (without it: no calibration, no band)")
    ap.add_argument("--tracking-package", help="unpacked tracking npm package: one more held-out photo (3 faces)")
    ap.add_argument("--steps", type=int, default=500, help="sbi-baseline-1: 1200 (with --threads 2)")
    ap.add_argument("--loso-steps", type=int, default=0, help="steps per leave-one-source-out run (0 = skip)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--version", default="sbi-baseline-2", help="manifest version of a newly trained model")
    ap.add_argument("--calibrate-only", action="store_true",
                    help="no training: calibrate the ONNX model already in --out and rewrite its manifest")
    ap.add_argument("--no-extra-context", action="store_true",
                    help="train without the libjxl-testdata pictures (the sbi-baseline-1 data)")
    ap.add_argument("--clips-per-kind", type=int, default=5, help="held-out simulated clips per face and kind")
    args = ap.parse_args()
    EXTRA_CONTEXT = not args.no_extra_context
    torch.set_num_threads(args.threads)
    cv2.setNumThreads(1)
    np.random.seed(SEED)
    torch.manual_seed(SEED)

    det_path = os.path.join(args.out, "face-detector.onnx")
    onnx_path = os.path.join(args.out, "deepfake-scorer.onnx")
    manifest_path = os.path.join(args.out, "deepfake-scorer.json")
    train_faces = detect_faces(training_sources(), det_path)
    print("training faces:", [(f.source_id, f.img.shape[:2], tuple(int(v) for v in f.box)) for f in train_faces])
    held_faces = []
    if args.faceapi_package:
        held_faces = detect_faces(heldout_sources(args.faceapi_package, args.tracking_package), det_path)
        print(f"held-out faces (evaluation-only photos, never trained on): {len(held_faces)} from "
              f"{len(set(f.source_id for f in held_faces))} photos")
    results = {}
    net = None

    if args.calibrate_only:
        with open(manifest_path) as f:
            version = json.load(f)["version"]
        print(f"calibrate only: {onnx_path} ({version}), no training")
    else:
        version = args.version
        context = pseudo_faces(12, SEED + 7)
        print(f"pseudo-face windows from {len(context_sources())} face-free/context pictures: {len(context)}")
        if args.loso_steps > 0:
            print(f"leave-one-source-out ({args.loso_steps} steps each):")
            loso = []
            for i, f in enumerate(train_faces):
                rest = [g for j, g in enumerate(train_faces) if j != i]
                loso_net = train(rest, args.loso_steps, SEED + 10 + i, context, log_every=50)
                r, k = eval_set([f], 200, SEED + 100 + i)
                loso.append(evaluate(lambda x: predict(loso_net, x), f"held-out source {f.source_id}", r, k))
            results["loso"] = loso
        print(f"final model: {args.steps} steps on all {len(train_faces)} training faces")
        t0 = time.time()
        net = train(train_faces, args.steps, SEED, context)
        print(f"  training took {time.time() - t0:.0f}s; params={sum(p.numel() for p in net.parameters())}")
        os.makedirs(args.out, exist_ok=True)
        export(net, onnx_path)
        print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes)")

    # From here on everything is measured on the exported model (OpenCV DNN), trained now or already there.
    def scorer(images):
        return onnx_logits(onnx_path, images)
    print("evaluation of the exported model:")
    r, k = eval_set(train_faces, 200, SEED + 1)
    results["train_faces_fresh_augmentations"] = evaluate(scorer, "training faces, unseen augmentations/blends", r, k)
    calibration = decision = None
    if held_faces:
        r, k = eval_set(held_faces, 20, SEED + 2)
        results["heldout_photos_sbi"] = evaluate(scorer, "held-out photos: SBI fakes vs augmented reals", r, k)
        clean = [crop_for_scorer(f.img, f.box) for f in held_faces]
        logits = scorer(clean)
        results["heldout_photos_clean_reals_flagged"] = round(float((logits > 0).mean()), 4)
        print(f"  held-out photos: un-augmented real crops flagged fake: {(logits > 0).sum()}/{len(clean)} "
              f"(mean p_fake={float(cal.sigmoid(logits).mean()):.3f})")
        r, k = naive_swaps(held_faces, 300, SEED + 3)
        results["heldout_photos_naive_swaps"] = evaluate(scorer, "held-out photos: naive cross-identity swaps", r, k)

        print(f"calibration + decision band on simulated held-out clips ({args.clips_per_kind} per face and kind, "
              f"{cal.CROPS_PER_CLIP} crops each):")
        t0 = time.time()
        calibration, decision = calibrate_exported(onnx_path, held_faces, SEED + 5, args.clips_per_kind)
        m = calibration["measured"]
        print(f"  Platt a={calibration['a']:.4f} b={calibration['b']:.4f}; held-out AUC per crop {m['heldoutAuc']:.4f}, "
              f"per clip {m['heldoutAucClips']:.4f}, clean reals vs fakes {m['heldoutAucCleanVsFake']:.4f} "
              f"({time.time() - t0:.0f}s)")
        for key in ("reliabilityRaw", "reliabilityCalibratedInSample", "reliabilityCalibratedLeaveOnePhotoOut"):
            print(f"  {key}: ECE {m[key]['ece']} Brier {m[key]['brier']} log loss {m[key]['logLoss']}")
            for row in m[key]["bins"]:
                print(f"      [{row[0]:.1f},{row[1]:.1f}) n={row[2]:5d} predicted {row[3]:.3f} observed {row[4]:.3f}")
        print(f"  band candidates {decision['candidates']}, supported {decision['supported']} -> "
              f"FAKE at or above {decision['fakeAtOrAbove']}, REAL at or below {decision['realAtOrBelow']}")
        print(f"  in sample at the candidates: {decision['measuredInSampleAtCandidates']}")
        print(f"  in sample at the chosen band: {decision['measuredInSample']}")
        print(f"  leave one photo out: {decision['measuredLeaveOnePhotoOut']}")
        for fold in decision["folds"]:
            print(f"    {fold}")
        results["calibration"] = calibration
        results["decision"] = decision
        results["lfw_subset_eval_only"] = lfw_check(onnx_path, calibration, decision, SEED + 6)
        print(f"  lfw_subset (eval only): {results['lfw_subset_eval_only']}")
    with open(manifest_path, "w") as f:
        json.dump(manifest(version, calibration, decision), f, indent=2)
        f.write("\n")
    print(f"wrote {manifest_path} ({version})")

    dnn = cv2.dnn.readNetFromONNX(onnx_path)
    r, k = eval_set(train_faces[:1], 16, SEED + 4)
    x = to_tensor(r + k)
    if net is not None:  # parity torch vs OpenCV DNN (no onnxruntime here)
        dnn.setInput(x.numpy())
        got = dnn.forward()
        with torch.no_grad():
            ref = net(x).numpy()
        print(f"parity torch vs cv2.dnn on a batch of {len(x)}: output {got.shape}, "
              f"max|diff|={np.abs(got - ref).max():.2e}")
        assert np.abs(got - ref).max() < 1e-3
    for _ in range(3):
        dnn.setInput(x.numpy())
        dnn.forward()
    n = 20
    t0 = time.perf_counter()
    for _ in range(n):
        dnn.setInput(x.numpy())
        dnn.forward()
    ms = (time.perf_counter() - t0) * 1000 / n
    print(f"cv2.dnn ({cv2.getNumThreads()} thread(s)): {ms:.1f} ms per batch of 32")
    results["ms_per_batch32_cv2dnn_1thread"] = round(ms, 1)
    print("RESULTS " + json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
