"""Find faces (CenterFace) and text regions (PP-OCR detection) in one frame.

Both run with onnxruntime on the decoded low-resolution copy; boxes come back in the copy's
pixels. Text boxes of one block (the lines of a label) are merged, so a label is hidden as
one region.
"""

from __future__ import annotations

import numpy as np

from .models import face_session, need, text_session

__all__ = ["Box", "find_faces", "find_text", "merge"]

Box = tuple[float, float, float, float, float]
"""``(x0, y0, x1, y1, score)`` in pixels of the image given."""


def _grid(image: np.ndarray, side: int) -> tuple[np.ndarray, float, float]:
    """The image resized so each side is a multiple of 32; the scale factors back."""
    cv2 = need("cv2")
    h, w = image.shape[:2]
    ratio = min(1.0, side / max(h, w))
    nw, nh = max(32, round(w * ratio / 32) * 32), max(32, round(h * ratio / 32) * 32)
    return cv2.resize(image, (nw, nh), interpolation=cv2.INTER_AREA), w / nw, h / nh


def find_faces(image: np.ndarray, threshold: float = 0.4, side: int = 640) -> list[Box]:
    """Faces in a BGR image: CenterFace's boxes above ``threshold`` (after NMS)."""
    resized, sx, sy = _grid(image, side)
    blob = resized[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32)  # RGB, 0..255
    heat, scale, offset, _ = face_session().run(["537", "538", "539", "540"],
                                                {"input.1": blob})
    heat = heat[0, 0]
    ys, xs = np.where(heat > threshold)
    boxes: list[Box] = []
    for y, x in zip(ys, xs, strict=True):
        s0, s1 = np.exp(scale[0, 0, y, x]) * 4, np.exp(scale[0, 1, y, x]) * 4
        cx, cy = (x + offset[0, 1, y, x] + 0.5) * 4, (y + offset[0, 0, y, x] + 0.5) * 4
        boxes.append(((cx - s1 / 2) * sx, (cy - s0 / 2) * sy, (cx + s1 / 2) * sx,
                      (cy + s0 / 2) * sy, float(heat[y, x])))
    return _nms(boxes, 0.3)


def find_text(image: np.ndarray, threshold: float = 0.3, min_score: float = 0.5,
              side: int = 736) -> list[Box]:
    """Text regions in a BGR image: PP-OCR's probability map, blocks of lines merged."""
    cv2 = need("cv2")
    resized, sx, sy = _grid(image, side)
    blob = ((resized.astype(np.float32) / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)[None]
    session = text_session()
    prob = session.run(None, {session.get_inputs()[0].name: blob})[0][0, 0]
    mask = (prob > threshold).astype(np.uint8)
    mask = cv2.dilate(mask, np.ones((2, 2), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    boxes: list[Box] = []
    for index in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[index])
        if w < 3 or h < 3:
            continue
        score = float(prob[labels == index].mean())
        if score < min_score:
            continue
        grow = area * 1.6 / (2 * (w + h))  # DB's unclip distance for an axis-aligned box
        boxes.append(((x - grow) * sx, (y - grow) * sy, (x + w + grow) * sx,
                      (y + h + grow) * sy, score))
    return merge(boxes)


def merge(boxes: list[Box], gap: float = 0.6) -> list[Box]:
    """Merge boxes closer than ``gap`` times the smaller one's line height (lines of one block).

    A merged block keeps the height of its tallest line, not of the whole block, so a block
    of lines does not reach further the more lines it has: a label beside a face or another
    label stays a region of its own instead of growing into one box around both.

    Example:
        >>> merge([(0, 0, 50, 10, 0.9), (0, 12, 40, 22, 0.8), (0, 40, 40, 50, 0.7)])
        [(0, 0, 50, 22, 0.9), (0, 40, 40, 50, 0.7)]
    """
    out = list(boxes)
    lines = [b[3] - b[1] for b in out]
    changed = True
    while changed:
        changed = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                reach = gap * min(lines[i], lines[j])
                if (a[0] - reach <= b[2] and b[0] - reach <= a[2]
                        and a[1] - reach <= b[3] and b[1] - reach <= a[3]):
                    out[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]),
                              max(a[3], b[3]), max(a[4], b[4]))
                    lines[i] = max(lines[i], lines[j])
                    del out[j], lines[j]
                    changed = True
                    break
            if changed:
                break
    return out


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _nms(boxes: list[Box], limit: float) -> list[Box]:
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda b: -b[4]):
        if all(iou(box, other) <= limit for other in kept):
            kept.append(box)
    return kept
