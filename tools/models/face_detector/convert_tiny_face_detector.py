#!/usr/bin/python3
"""Convert face-api.js's TinyFaceDetector weights (MIT) into an ONNX model.

Input : the unpacked npm package @vladmandic/face-api (folder with model/ and demo/),
        which ships tiny_face_detector_model-weights_manifest.json + tiny_face_detector_model.bin
        (the weights trained by Vincent Muehler for face-api.js, uint8-quantised).
Output: face-detector.onnx + face-detector.json (see /work/helpers/MODEL-CONTRACT.md).

The network is rebuilt from face-api.js's sources (tinyYolov2/TinyYolov2Base.ts, runMobilenet()):
  conv0      3x3 conv 3->16, 'valid' padding, + bias, leaky-relu(0.1)          416 -> 414
  maxpool    2x2 stride 2 'same'                                                414 -> 207
  conv1..5   [pad 1] 3x3 depthwise (no bias) -> 1x1 pointwise + bias -> leaky   16->32->64->128->256->512
             each followed by maxpool 2x2 stride 2 'same' (207->104->52->26->13), except
             conv5, followed by maxpool 2x2 stride 1 'same' (13 -> 13)
  conv6/7    absent in the tiny face detector (filterSizes has 7 entries)
  conv8      1x1 conv 512 -> 25 (5 anchors x [tx, ty, tw, th, objectness]), no activation
TF 'same' pooling pads only at the bottom/right and ignores the padded cells (= -inf padding).

Preprocessing (TinyYolov2Base.forwardInput + NetInput.toBatchTensor(inputSize, isCenterInputs=false)):
  RGB image, scaled so that max(w, h) == 416, drawn at the TOP-LEFT of a black 416x416 canvas
  (padding at bottom/right), then (pixel - MEAN_RGB) / 256 with MEAN_RGB = [117.001, 114.697, 97.404].
  face-api.js 0.22.2 (the original project) divides by 256; the @vladmandic fork divides by 255.
  We keep 256 (the original author's training code); the difference is 0.4% of the scale.
  Normalisation is NOT inside the ONNX graph: the manifest tells the caller scale=256, mean=MEAN_RGB/256, std=1.

Usage: /usr/bin/python3 convert_tiny_face_detector.py --package /tmp/faceapi/package \
           --out ../../../services/video-analysis-service/src/main/resources/models
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_SIZE = 416   # the size face-api.js trained and runs at (the nominal size in the manifest)
GRID = 13
STRIDE = INPUT_SIZE // GRID  # 32: the network is fully convolutional; any input whose sides are multiples of 32
#                              gives a (H/32) x (W/32) grid with the same stride
# What the service runs (manifest "output.dynamicInput.passes"): two passes per frame, merged by one NMS. In each the
# frame is scaled so that its long side is `longSide`, at the top-left of the smallest canvas whose sides are
# multiples of 32: 1280x720 -> 832x480 (grid 26x15: faces from ~5% of the frame width) and 416x256 (grid 13x8: the
# faces over ~30% of the width, too big for the network at 832; for a square frame this is exactly face-api.js's
# 416x416 input). The coarse pass keeps only boxes whose larger side is >= `minBox` canvas pixels (its small boxes
# straddle neighbouring faces or are texture). Chosen by measurement, see MODEL_CARD-face-detector.md.
PASSES = ((832, 0), (416, 64))  # (longSide, minBox)
MULTIPLE = 32
BATCH = 8  # frames per inference call (memory: a batch of 8 at 832x480 needs ~250 MB of activations)
MEAN_RGB = (117.001, 114.697, 97.404)
SCALE = 256.0
# TinyFaceDetector BOX_ANCHORS (tinyFaceDetector/const.ts), in grid-cell units (w, h).
ANCHORS = ((1.603231, 2.094468), (6.041143, 7.080126), (2.882459, 3.518061),
           (4.266906, 5.178857), (9.041765, 10.66308))
SCORE_THRESHOLD = 0.5  # TinyYolov2Options default
IOU_THRESHOLD = 0.4    # tinyFaceDetector/const.ts IOU_THRESHOLD

WEIGHTS_MANIFEST = "model/tiny_face_detector_model-weights_manifest.json"


# ---------------------------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------------------------
def load_weight_map(package_dir):
    """Parse a tfjs weights manifest (+ shards) into {name: float32 ndarray in TF layout}."""
    manifest_path = os.path.join(package_dir, WEIGHTS_MANIFEST)
    with open(manifest_path) as f:
        manifest = json.load(f)
    weights = {}
    base = os.path.dirname(manifest_path)
    for group in manifest:
        data = b"".join(open(os.path.join(base, p), "rb").read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            shape = spec["shape"]
            count = int(np.prod(shape)) if shape else 1
            quant = spec.get("quantization")
            if quant:
                qdtype = np.dtype(quant["dtype"])  # uint8 or uint16
                raw = np.frombuffer(data, dtype=qdtype, count=count, offset=offset)
                offset += count * qdtype.itemsize
                # tfjs io: value = q * scale + min
                values = raw.astype(np.float64) * quant["scale"] + quant["min"]
            else:
                dtype = np.dtype(spec["dtype"])
                values = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
                offset += count * dtype.itemsize
            weights[spec["name"]] = values.astype(np.float32).reshape(shape)
        if offset != len(data):
            raise ValueError(f"manifest consumed {offset} bytes but shards hold {len(data)}")
    return weights


# ---------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------
class SeparableConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=True)

    def forward(self, x):
        return F.leaky_relu(self.pointwise(self.depthwise(x)), 0.1)


class TinyFaceDetector(nn.Module):
    """NCHW input [N,3,416,416] already normalised; output raw grid [N,25,13,13]."""

    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(3, 16, 3, padding=0, bias=True)
        sizes = [16, 32, 64, 128, 256, 512]
        self.convs = nn.ModuleList(SeparableConv(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.conv8 = nn.Conv2d(512, 25, 1, bias=True)

    @staticmethod
    def pool_same_s2(x):
        # TF 'same' 2x2/2: pad bottom/right only when odd; ceil_mode ignores the missing cells.
        return F.max_pool2d(x, 2, 2, ceil_mode=True)

    @staticmethod
    def pool_same_s1(x):
        # TF 'same' 2x2/1 pads one row/col at bottom/right with -inf. Pool with symmetric
        # (implicit -inf) padding 1 and drop the first row/col: window o+1 covers input rows o, o+1.
        return F.max_pool2d(x, 2, 1, padding=1)[:, :, 1:, 1:]

    def forward(self, x):
        x = F.leaky_relu(self.conv0(x), 0.1)
        x = self.pool_same_s2(x)
        for i, conv in enumerate(self.convs):
            x = conv(x)
            x = self.pool_same_s2(x) if i < 4 else self.pool_same_s1(x)
        return self.conv8(x)

    def load_face_api_weights(self, w):
        def conv(t):  # TF [kh, kw, in, out] -> torch [out, in, kh, kw]
            return torch.from_numpy(np.ascontiguousarray(t.transpose(3, 2, 0, 1)))

        def dw(t):  # TF depthwise [kh, kw, in, 1] -> torch [in, 1, kh, kw]
            return torch.from_numpy(np.ascontiguousarray(t.transpose(2, 3, 0, 1)))

        used = set()
        with torch.no_grad():
            self.conv0.weight.copy_(conv(w["conv0/filters"]))
            self.conv0.bias.copy_(torch.from_numpy(w["conv0/bias"]))
            used |= {"conv0/filters", "conv0/bias"}
            for i, m in enumerate(self.convs, start=1):
                m.depthwise.weight.copy_(dw(w[f"conv{i}/depthwise_filter"]))
                m.pointwise.weight.copy_(conv(w[f"conv{i}/pointwise_filter"]))
                m.pointwise.bias.copy_(torch.from_numpy(w[f"conv{i}/bias"]))
                used |= {f"conv{i}/depthwise_filter", f"conv{i}/pointwise_filter", f"conv{i}/bias"}
            self.conv8.weight.copy_(conv(w["conv8/filters"]))
            self.conv8.bias.copy_(torch.from_numpy(w["conv8/bias"]))
            used |= {"conv8/filters", "conv8/bias"}
        unused = set(w) - used
        if unused:
            raise ValueError(f"weights not mapped: {sorted(unused)}")


# ---------------------------------------------------------------------------------------------
# Reference pre-processing, decode and NMS (the Java port mirrors these one-to-one)
# ---------------------------------------------------------------------------------------------
def canvas_size(w, h, long_side):
    """(canvas width, canvas height, scale): long_side=None is face-api.js's square 416 canvas; otherwise the frame
    scaled to long_side on its long side, padded up to multiples of 32 (FaceDetector.canvasFor in Java)."""
    if long_side is None:
        return INPUT_SIZE, INPUT_SIZE, INPUT_SIZE / max(w, h)
    s = long_side / max(w, h)
    cw = -(-round(w * s) // MULTIPLE) * MULTIPLE
    ch = -(-round(h * s) // MULTIPLE) * MULTIPLE
    return cw, ch, s


def letterbox(rgb, long_side=None):
    """RGB uint8 HxWx3 -> (canvas float32, scale). Image at top-left, black pad bottom/right."""
    import cv2
    h, w = rgb.shape[:2]
    cw, ch, s = canvas_size(w, h, long_side)
    nw, nh = max(1, round(w * s)), max(1, round(h * s))
    resized = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    canvas = np.zeros((ch, cw, 3), np.float32)
    canvas[:nh, :nw] = resized
    return canvas, s


def preprocess(rgb, long_side=None):
    """-> NCHW float32 [1,3,H,W] ready for the ONNX model, and the scale used."""
    canvas, s = letterbox(rgb, long_side)
    x = (canvas / SCALE - np.array(MEAN_RGB, np.float32) / SCALE) / 1.0
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None]), s


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def decode(grid, scale, orig_w, orig_h, score_threshold=SCORE_THRESHOLD):
    """grid: [25,rows,cols] raw output for one image. Channel = anchor*5 + k, k = tx,ty,tw,th,obj.
    Returns [(score, x0, y0, x1, y1)] in original-image pixels (before NMS)."""
    out = []
    rows, cols = grid.shape[1:]
    for row in range(rows):
        for col in range(cols):
            for a, (aw, ah) in enumerate(ANCHORS):
                tx, ty, tw, th, to = (float(grid[a * 5 + k, row, col]) for k in range(5))
                score = sigmoid(to)
                if score <= score_threshold:
                    continue
                # centre / size in canvas pixels (stride 32 = 416/13 = canvas side / grid side)
                cx = (col + sigmoid(tx)) * STRIDE
                cy = (row + sigmoid(ty)) * STRIDE
                bw = np.exp(tw) * aw * STRIDE
                bh = np.exp(th) * ah * STRIDE
                # canvas pixels -> original pixels (image sits at the top-left, so no offset)
                x0 = (cx - bw / 2) / scale
                y0 = (cy - bh / 2) / scale
                x1 = (cx + bw / 2) / scale
                y1 = (cy + bh / 2) / scale
                x0, x1 = min(max(x0, 0.0), orig_w), min(max(x1, 0.0), orig_w)
                y0, y1 = min(max(y0, 0.0), orig_h), min(max(y1, 0.0), orig_h)
                out.append((score, x0, y0, x1, y1))
    return out


def iou(a, b):
    iw = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    ih = max(0.0, min(a[4], b[4]) - max(a[2], b[2]))
    inter = iw * ih
    union = (a[3] - a[1]) * (a[4] - a[2]) + (b[3] - b[1]) * (b[4] - b[2]) - inter
    return inter / union if union > 0 else 0.0


def nms(dets, iou_threshold=IOU_THRESHOLD):
    """Greedy NMS, highest score first; drops boxes whose IoU with a kept box is > threshold."""
    rest = sorted(dets, key=lambda d: -d[0])
    keep = []
    while rest:
        best = rest.pop(0)
        keep.append(best)
        rest = [d for d in rest if iou(best, d) <= iou_threshold]
    return keep


def detect_with(run, rgb, long_side=None):
    """run: callable NCHW float32 -> [1,25,H/32,W/32]. Returns NMS'd detections in original pixels."""
    x, s = preprocess(rgb, long_side)
    grid = run(x)[0]
    return nms(decode(grid, s, rgb.shape[1], rgb.shape[0]))


def load_model(package_dir):
    net = TinyFaceDetector().eval()
    net.load_face_api_weights(load_weight_map(package_dir))
    return net


def torch_runner(net):
    def run(x):
        with torch.no_grad():
            return net(torch.from_numpy(x)).numpy()
    return run


def cv2_runner(onnx_path):
    import cv2
    dnn = cv2.dnn.readNetFromONNX(onnx_path)

    def run(x):
        dnn.setInput(x)
        return dnn.forward()
    return run


# ---------------------------------------------------------------------------------------------
# Validation set: (label, loader, hand-annotated face boxes [x0,y0,x1,y1] in original pixels, licence)
# The boxes were drawn by hand (checked visually on the rendered images); a detection counts as a
# true positive when it overlaps a not-yet-matched face box with IoU >= 0.3.
# ---------------------------------------------------------------------------------------------
FACE_BOXES = {
    "skimage astronaut": [(163, 75, 278, 186)],
    "skimage camera": [(188, 129, 259, 201)],
    "matplotlib grace_hopper": [(141, 136, 382, 351)],
    "face-api demo sample1": [(781, 446, 1087, 697), (1427, 216, 1719, 486), (334, 390, 637, 634)],
    "face-api demo sample2": [(1404, 178, 1675, 429), (300, 200, 560, 470), (844, 236, 1082, 472)],
    "face-api demo sample3": [(995, 253, 1324, 535), (1430, 331, 1725, 610), (525, 364, 835, 642)],
    "face-api demo sample4": [(624, 98, 877, 332), (924, 226, 1191, 457), (216, 225, 495, 470),
                              (1244, 161, 1492, 405)],
    "face-api demo sample5": [(317, 894, 625, 1201), (1355, 425, 1645, 683), (530, 429, 827, 681),
                              (1059, 239, 1338, 490), (731, 134, 967, 326)],
    "face-api demo sample6": [(1431, 314, 1722, 598), (612, 370, 910, 651), (186, 513, 513, 806),
                              (1098, 352, 1399, 627)],
}
NEGATIVES = ["coffee", "chelsea", "rocket", "hubble_deep_field", "coins", "brick", "grass", "gravel",
             "horse", "stereo_motorcycle", "retina", "moon", "page", "text", "cell", "immunohistochemistry"]


def validation_images(package_dir):
    import cv2
    from skimage import data as skd

    def sk(name):
        def load():
            im = getattr(skd, name)()
            if isinstance(im, tuple):  # stereo_motorcycle -> (left, right, disparity)
                im = im[0]
            if im.dtype != np.uint8:  # e.g. horse is boolean
                im = (im.astype(np.float64) / im.max() * 255).astype(np.uint8)
            return np.stack([im] * 3, -1) if im.ndim == 2 else im[..., :3]
        return load

    def file(path):
        def load():
            bgr = cv2.imread(path, cv2.IMREAD_COLOR)
            return None if bgr is None else cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        return load

    items = [
        ("skimage astronaut", sk("astronaut"), "public domain (NASA)"),
        ("skimage camera", sk("camera"), "CC0 (Lav Varshney); profile face half hidden by a camera"),
        ("matplotlib grace_hopper", file("/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"),
         "public domain (US Navy photo), shipped by python3-matplotlib"),
    ]
    for i in range(1, 7):
        items.append((f"face-api demo sample{i}", file(os.path.join(package_dir, f"demo/sample{i}.jpg")),
                      "@vladmandic/face-api npm package demo/ (photo licence not stated; evaluation only)"))
    for name in NEGATIVES:
        items.append((f"skimage {name}", sk(name), "skimage data (CC0 / public domain / no known restrictions)"))
    return [(label, load, FACE_BOXES.get(label, []), note) for label, load, note in items]


def match(dets, truth, min_iou=0.3):
    """Greedy matching by score. Returns (true positives, false positives, missed faces)."""
    free = [(0.0,) + tuple(float(v) for v in t) for t in truth]
    tp = fp = 0
    for d in sorted(dets, key=lambda d: -d[0]):
        best = max(free, key=lambda t: iou(d, t), default=None)
        if best is not None and iou(d, best) >= min_iou:
            free.remove(best)
            tp += 1
        else:
            fp += 1
    return tp, fp, len(free)


def validate(package_dir, run, draw_dir=None, thresholds=(0.5, 0.4, 0.3), passes=((None, 0),)):
    """passes: (longSide, minBox) per inference (None = the square 416 canvas), merged by one NMS per image."""
    import cv2
    loaded = []
    for label, load, truth, note in validation_images(package_dir):
        rgb = load()
        if rgb is None:
            print(f"  skip {label}: not found")
            continue
        grids = []
        for long_side, min_box in passes:
            x, s = preprocess(rgb, long_side)
            grids.append((run(x)[0], s, min_box))
        loaded.append((label, rgb, truth, grids))
    summary = {}
    for thr in thresholds:
        tot = {"faces": 0, "tp": 0, "fp_faces": 0, "fp_neg": 0, "neg_images": 0}
        print(f"score threshold {thr}:")
        for label, rgb, truth, grids in loaded:
            dets = nms([d for grid, s, min_box in grids for d in decode(grid, s, rgb.shape[1], rgb.shape[0], thr)
                        if max(d[3] - d[1], d[4] - d[2]) * s >= min_box])
            tp, fp, fn = match(dets, truth)
            tot["faces"] += len(truth)
            tot["tp"] += tp
            if truth:
                tot["fp_faces"] += fp
            else:
                tot["fp_neg"] += fp
                tot["neg_images"] += 1
            print(f"  {label:28s} {rgb.shape[1]:4d}x{rgb.shape[0]:<4d} faces={len(truth)} found={tp} "
                  f"false_pos={fp} scores={[round(d[0], 3) for d in dets]}")
            if draw_dir and thr == SCORE_THRESHOLD:
                os.makedirs(draw_dir, exist_ok=True)
                bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR).copy()
                for d in dets:
                    cv2.rectangle(bgr, (int(d[1]), int(d[2])), (int(d[3]), int(d[4])), (0, 255, 0), 3)
                cv2.imwrite(os.path.join(draw_dir, label.replace(" ", "_") + ".png"), bgr)
        print(f"  => threshold {thr}: found {tot['tp']}/{tot['faces']} faces, {tot['fp_faces']} false positives "
              f"in face images, {tot['fp_neg']} in {tot['neg_images']} face-free images")
        summary[thr] = tot
    return summary


# ---------------------------------------------------------------------------------------------
def export(net, onnx_path):
    import onnx
    dummy = torch.zeros(1, 3, INPUT_SIZE, INPUT_SIZE)
    torch.onnx.export(net, dummy, onnx_path, input_names=["input"], output_names=["output"],
                      opset_version=17, do_constant_folding=True,
                      dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"},
                                    "output": {0: "batch", 2: "rows", 3: "cols"}})
    model = onnx.load(onnx_path)
    onnx.checker.check_model(model, full_check=True)
    return model


def manifest():
    return {
        "name": "tiny-face-detector",
        "version": "face-api.js-tiny_face_detector-2",
        "file": "face-detector.onnx",
        "input": {"name": "input", "layout": "NCHW", "width": INPUT_SIZE, "height": INPUT_SIZE,
                  "channelOrder": "RGB", "scale": SCALE,
                  "mean": [m / SCALE for m in MEAN_RGB], "std": [1.0, 1.0, 1.0]},
        "output": {"name": "output", "gridSize": GRID, "anchors": [list(a) for a in ANCHORS],
                   "boxEncoding": "yolo2",
                   "dynamicInput": {"multiple": MULTIPLE, "batch": BATCH,
                                    "passes": [dict(longSide=ls, **({"minBox": mb} if mb else {}))
                                               for ls, mb in PASSES]}},
        "scoreThreshold": SCORE_THRESHOLD,
        "iouThreshold": IOU_THRESHOLD,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", required=True, help="unpacked @vladmandic/face-api npm package dir")
    ap.add_argument("--out", required=True, help="output dir for face-detector.onnx/.json")
    ap.add_argument("--draw", help="optional dir to write annotated validation images")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)

    net = load_model(args.package)
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "face-detector.onnx")
    export(net, onnx_path)
    with open(os.path.join(args.out, "face-detector.json"), "w") as f:
        json.dump(manifest(), f, indent=2)
        f.write("\n")
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes)")

    # Parity: torch vs OpenCV DNN running the exported ONNX (no onnxruntime on this machine).
    import cv2
    cv2.setNumThreads(1)
    run_cv = cv2_runner(onnx_path)
    rng = np.random.default_rng(0)
    from skimage import data as skd
    x_astro, _ = preprocess(skd.astronaut())
    for x in [x_astro, rng.uniform(-0.5, 0.6, (1, 3, INPUT_SIZE, INPUT_SIZE)).astype(np.float32)]:
        a = torch_runner(net)(x)
        b = run_cv(x)
        print(f"parity torch vs cv2.dnn: shape {b.shape} max|diff|={np.abs(a - b).max():.2e}")
        assert np.abs(a - b).max() < 1e-3
    xb = np.concatenate([x_astro, x_astro[:, :, ::-1].copy()], 0)
    b = run_cv(xb)
    print(f"batch of 2 through cv2.dnn: output {b.shape}")
    # the dynamic height/width the service uses: a 1280x720 frame at each long side
    frame = cv2.resize(skd.chelsea(), (1280, 720))
    for long_side, _ in PASSES:
        x, _ = preprocess(frame, long_side)
        a = torch_runner(net)(x)
        b = cv2_runner(onnx_path)(x)  # a fresh net: OpenCV DNN fixes shapes at the first forward
        print(f"parity torch vs cv2.dnn at input {x.shape[2]}x{x.shape[3]}: output {b.shape} "
              f"max|diff|={np.abs(a - b).max():.2e}")
        assert a.shape[2:] == (x.shape[2] // STRIDE, x.shape[3] // STRIDE) and np.abs(a - b).max() < 1e-3

    print("validation (OpenCV DNN on the exported ONNX), face-api.js's square 416 canvas:")
    validate(args.package, run_cv, args.draw)
    print(f"validation, the service's passes {PASSES} (longSide, minBox) merged by NMS:")
    validate(args.package, lambda x: cv2_runner(onnx_path)(x), None, passes=PASSES)

    # Timing (single thread; the machine's 2 cores are shared): forward only, and the whole
    # pipeline (letterbox + normalise + forward + Python decode + NMS) on the 512x512 astronaut.
    rgb = skd.astronaut()
    x, _ = preprocess(rgb)
    n = 50

    def bench(fn):
        for _ in range(5):
            fn()
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - t0) * 1000 / n

    print(f"timing, 1 thread: cv2.dnn forward {bench(lambda: run_cv(x)):.1f} ms/frame; "
          f"full pipeline {bench(lambda: detect_with(run_cv, rgb)):.1f} ms/frame; "
          f"torch forward {bench(lambda: torch_runner(net)(x)):.1f} ms/frame")

    print("astronaut.png expected boxes (original 512x512 pixels):")
    for d in detect_with(run_cv, rgb):
        print(f"  score={d[0]:.4f} x0={d[1]:.1f} y0={d[2]:.1f} x1={d[3]:.1f} y1={d[4]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
