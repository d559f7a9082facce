#!/usr/bin/python3
"""Calibration and decision band for the deepfake scorer, from held-out faces (never trained on).

Used by train_sbi.py after export (and on its own with --calibrate-only there). Everything is measured on the
EXPORTED ONNX model run through OpenCV DNN, i.e. on what the service ships.

What is measured (the unit is a simulated "clip", because the service decides per video):
  - a clip is CROPS_PER_CLIP crops of ONE held-out face, each with its own augmentation, scored, calibrated per
    crop and aggregated with the service's CONFIDENT rule (ScoreAggregation.java, mirrored in `confident`);
  - real clips: half "augmented" (the SBI colour/sharpness/scale perturbation on the whole crop, as in training),
    half "clean" (the unmanipulated photo with only crop jitter, flip, resolution loss, global brightness and
    JPEG: a video made from a still photo, the case that was reported FAKE);
  - fake clips: SBI self-blends of the same face (a new blend per crop).
Calibration: Platt scaling, p = sigmoid(a * logit + b), fitted per crop (maximum likelihood, Newton) on the
held-out crops, balanced real/fake (prior 0.5).
Band: FAKE at or above the lowest clip probability t >= 0.5 where the measured share of real clips (augmented and
clean, each) at or above t is <= MAX_FALSE_FAKE; REAL at or below the highest t <= 0.5 where the share of fake
clips at or below t is <= MAX_MISS. A side is kept only if it is also supported out of sample: leave-one-photo-out
(fit the calibration and choose the bound on 5 photos, apply to the 6th; pooled over the 6 photos) must show
the same error rate at most at the target, and every fold must have found a bound. Otherwise that side is empty (null) and the service says
INCONCLUSIVE / low_confidence there.
"""
import numpy as np

CROPS_PER_CLIP = 8
MAX_FALSE_FAKE = 0.05   # FAKE only where <= 5% of genuine clips were called FAKE
MAX_MISS = 0.10         # REAL only where <= 10% of fake clips were called REAL
HIGH, LOW, HIGH_SHARE, LOW_SHARE = 0.8, 0.2, 1.0 / 11, 0.9  # ScoreAggregation.CONFIDENT


def sigmoid(z):
    z = np.asarray(z, np.float64)
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def confident(scores):
    """ScoreAggregation.CONFIDENT, exactly as the service computes it."""
    s = np.asarray(scores, np.float64)
    high = s[s > HIGH]
    if len(high) > len(s) * HIGH_SHARE:
        return float(high.mean())
    low = s[s < LOW]
    if len(low) > len(s) * LOW_SHARE:
        return float(low.mean())
    return float(s.mean())


def nll(a, b, x, y):
    """Mean negative log-likelihood of labels y under p = sigmoid(a*x + b) (numerically stable)."""
    z = a * x + b
    return float(np.mean(np.logaddexp(0, z) - y * z))


def fit_platt(logits, labels, iters=100):
    """Maximum-likelihood logistic regression of labels on logits (Newton with step halving): (a, b)."""
    x = np.asarray(logits, np.float64)
    y = np.asarray(labels, np.float64)
    a, b = 1.0, 0.0
    loss = nll(a, b, x, y)
    for _ in range(iters):
        p = sigmoid(a * x + b)
        g = np.array([np.mean((p - y) * x), np.mean(p - y)])
        w = p * (1 - p)
        h = np.array([[np.mean(w * x * x), np.mean(w * x)], [np.mean(w * x), np.mean(w)]]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(h, g)
        t = 1.0
        while t > 1e-8:
            na, nb = a - t * step[0], b - t * step[1]
            new = nll(na, nb, x, y)
            if new <= loss:
                break
            t /= 2
        if t <= 1e-8:
            break
        converged = loss - new < 1e-12
        a, b, loss = na, nb, new
        if converged:
            break
    return float(a), float(b)


def reliability(probs, labels, bins=10):
    """Equal-width bins: (rows [lo, hi, n, mean predicted, observed fake share], ECE, Brier, log loss)."""
    p = np.clip(np.asarray(probs, np.float64), 1e-7, 1 - 1e-7)
    y = np.asarray(labels, np.float64)
    rows, ece = [], 0.0
    for i in range(bins):
        lo, hi = i / bins, (i + 1) / bins
        m = (p >= lo) & ((p < hi) if i < bins - 1 else (p <= hi))
        if m.sum():
            rows.append([round(lo, 2), round(hi, 2), int(m.sum()), round(float(p[m].mean()), 4),
                         round(float(y[m].mean()), 4)])
            ece += m.sum() / len(p) * abs(p[m].mean() - y[m].mean())
    brier = float(np.mean((p - y) ** 2))
    logloss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return rows, round(float(ece), 4), round(brier, 4), round(logloss, 4)


def choose_band(real_aug, real_clean, fake):
    """Bounds on clip probabilities from measured rates; None where no bound meets the target."""
    real_aug, real_clean, fake = (np.asarray(v, np.float64) for v in (real_aug, real_clean, fake))
    candidates = np.unique(np.concatenate([real_aug, real_clean, fake]))
    fake_bound = None
    for t in candidates:  # ascending: the lowest bound that meets the target
        if t < 0.5:
            continue
        if (real_aug >= t).mean() <= MAX_FALSE_FAKE and (real_clean >= t).mean() <= MAX_FALSE_FAKE \
                and (fake >= t).mean() > 0:
            fake_bound = float(t)
            break
    real_bound = None
    for t in candidates[::-1]:  # descending: the highest bound that meets the target
        if t > 0.5 or (fake_bound is not None and t >= fake_bound):
            continue
        if (fake <= t).mean() <= MAX_MISS and ((real_aug <= t).mean() > 0 or (real_clean <= t).mean() > 0):
            real_bound = float(t)
            break
    return fake_bound, real_bound


def rates(fake_bound, real_bound, real_aug, real_clean, fake):
    """Verdict shares per kind of clip under a band (None = empty side)."""
    def share(v, cond):
        v = np.asarray(v, np.float64)
        return round(float(cond(v).mean()), 4) if len(v) else None
    is_fake = (lambda v: v >= fake_bound) if fake_bound is not None else (lambda v: np.zeros(len(v), bool))
    is_real = (lambda v: (v <= real_bound) & ~is_fake(v)) if real_bound is not None else \
        (lambda v: np.zeros(len(v), bool))
    return {
        "realAugmentedCalledFake": share(real_aug, is_fake), "realCleanCalledFake": share(real_clean, is_fake),
        "fakeCalledFake": share(fake, is_fake),
        "fakeCalledReal": share(fake, is_real), "realAugmentedCalledReal": share(real_aug, is_real),
        "realCleanCalledReal": share(real_clean, is_real),
        "nClips": {"realAugmented": len(real_aug), "realClean": len(real_clean), "fake": len(fake)},
    }


def auc(scores, labels):
    """ROC AUC (Mann-Whitney, ties count half)."""
    s = np.asarray(scores, np.float64)
    y = np.asarray(labels)
    pos, neg = s[y == 1], s[y == 0]
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


class HeldOut:
    """Per-crop logits of the held-out clips, with the photo each face came from."""

    def __init__(self, clips):
        # clips: list of (photo, kind in {"real_aug","real_clean","fake"}, logits array)
        self.clips = clips

    def subset(self, keep):
        return HeldOut([c for c in self.clips if keep(c[0])])

    def photos(self):
        return sorted(set(c[0] for c in self.clips))

    def crops(self):
        logits = np.concatenate([c[2] for c in self.clips])
        labels = np.concatenate([np.full(len(c[2]), 1 if c[1] == "fake" else 0) for c in self.clips])
        return logits, labels

    def clip_scores(self, a, b):
        out = {"real_aug": [], "real_clean": [], "fake": []}
        for _, kind, logits in self.clips:
            out[kind].append(confident(sigmoid(a * logits + b)))
        return {k: np.array(v) for k, v in out.items()}


def calibrate(held, n_faces=None):
    """Fit on everything held out, check out of sample by leave-one-photo-out, return (calibration, decision)."""
    logits, labels = held.crops()
    a, b = fit_platt(logits, labels)
    clips = held.clip_scores(a, b)
    fake_bound, real_bound = choose_band(clips["real_aug"], clips["real_clean"], clips["fake"])

    # leave one photo out: the whole procedure (fit + band) on the other photos, applied to this one
    oof_p, oof_y = [], []
    oof = {"real_aug": [], "real_clean": [], "fake": []}
    oof_verdicts = {"real_aug": [], "real_clean": [], "fake": []}
    folds = []
    for photo in held.photos():
        train, test = held.subset(lambda p: p != photo), held.subset(lambda p: p == photo)
        fa, fb = fit_platt(*train.crops())
        tr = train.clip_scores(fa, fb)
        fbnd, rbnd = choose_band(tr["real_aug"], tr["real_clean"], tr["fake"])
        folds.append({"heldOutPhoto": photo, "a": round(fa, 4), "b": round(fb, 4), "fakeAtOrAbove": fbnd,
                      "realAtOrBelow": rbnd})
        tl, ty = test.crops()
        oof_p.append(sigmoid(fa * tl + fb))
        oof_y.append(ty)
        te = test.clip_scores(fa, fb)
        for k in oof:
            oof[k] += list(te[k])
            for s in te[k]:
                oof_verdicts[k].append("FAKE" if fbnd is not None and s >= fbnd else
                                       "REAL" if rbnd is not None and s <= rbnd else "INCONCLUSIVE")
    oof_p, oof_y = np.concatenate(oof_p), np.concatenate(oof_y)

    def cv_share(kind, verdict):
        v = oof_verdicts[kind]
        return round(float(np.mean([x == verdict for x in v])), 4)
    cv = {"realAugmentedCalledFake": cv_share("real_aug", "FAKE"), "realCleanCalledFake": cv_share("real_clean", "FAKE"),
          "fakeCalledFake": cv_share("fake", "FAKE"), "fakeCalledReal": cv_share("fake", "REAL"),
          "realAugmentedCalledReal": cv_share("real_aug", "REAL"), "realCleanCalledReal": cv_share("real_clean", "REAL")}
    # a side is supported when the procedure found a bound on every fold's 5 photos AND the pooled out-of-sample
    # error rate of those bounds meets the target
    supported_fake = fake_bound is not None and all(f["fakeAtOrAbove"] is not None for f in folds) \
        and cv["realAugmentedCalledFake"] <= MAX_FALSE_FAKE and cv["realCleanCalledFake"] <= MAX_FALSE_FAKE
    supported_real = real_bound is not None and all(f["realAtOrBelow"] is not None for f in folds) \
        and cv["fakeCalledReal"] <= MAX_MISS
    chosen = (fake_bound if supported_fake else None, real_bound if supported_real else None)

    raw_rel = reliability(sigmoid(logits), labels)
    cal_rel_in = reliability(sigmoid(a * logits + b), labels)
    cal_rel_oof = reliability(oof_p, oof_y)
    clip_labels = np.array([0] * (len(clips["real_aug"]) + len(clips["real_clean"])) + [1] * len(clips["fake"]))
    clip_all = np.concatenate([clips["real_aug"], clips["real_clean"], clips["fake"]])
    measured = {
        "heldoutAuc": round(auc(logits, labels), 4),
        "heldoutAucClips": round(auc(clip_all, clip_labels), 4),
        "heldoutAucCleanVsFake": round(auc(np.concatenate([clips["real_clean"], clips["fake"]]),
                                           np.array([0] * len(clips["real_clean"]) + [1] * len(clips["fake"]))), 4),
        "nCrops": int(len(logits)), "nPhotos": len(held.photos()),
        "nFaces": n_faces,
        "reliabilityRaw": {"ece": raw_rel[1], "brier": raw_rel[2], "logLoss": raw_rel[3], "bins": raw_rel[0]},
        "reliabilityCalibratedInSample": {"ece": cal_rel_in[1], "brier": cal_rel_in[2], "logLoss": cal_rel_in[3],
                                          "bins": cal_rel_in[0]},
        "reliabilityCalibratedLeaveOnePhotoOut": {"ece": cal_rel_oof[1], "brier": cal_rel_oof[2],
                                                  "logLoss": cal_rel_oof[3], "bins": cal_rel_oof[0]},
    }
    calibration = {"method": "platt", "a": round(a, 6), "b": round(b, 6),
                   "formula": "p = sigmoid(a * logit + b), logit = the model's output",
                   "fittedOn": "held-out face crops (face-api demo photos, never trained on), balanced real/fake",
                   "measured": measured}
    decision = {
        "fakeAtOrAbove": chosen[0], "realAtOrBelow": chosen[1],
        "unit": f"video probability = CONFIDENT aggregation of calibrated per-crop probabilities; measured on "
                f"simulated clips of {CROPS_PER_CLIP} crops of one held-out face",
        "targets": {"maxRealCalledFake": MAX_FALSE_FAKE, "maxFakeCalledReal": MAX_MISS},
        "candidates": {"fakeAtOrAbove": fake_bound, "realAtOrBelow": real_bound},
        "supported": {"fake": bool(supported_fake), "real": bool(supported_real)},
        "measuredInSample": rates(chosen[0], chosen[1], clips["real_aug"], clips["real_clean"], clips["fake"]),
        "measuredInSampleAtCandidates": rates(fake_bound, real_bound, clips["real_aug"], clips["real_clean"],
                                              clips["fake"]),
        "measuredLeaveOnePhotoOut": cv,
        "folds": folds,
    }
    return calibration, decision
