"""Gradient-boosted trees evaluated for every block and every tree at once, level by level.

Why not text mode's compiled walk (`text.kernels.tree_logits`): it would
bring numba to every HTML page. Here the trees are the same complete binary
trees in heap order (`TreeStage._heap`), flattened once per model into one
node table; each of the `depth` levels is a handful of whole-array gathers
over a (blocks x trees) array of node ids. The leaf values are added in the
order the compiled walk adds them (four trees at a time, then the groups in
turn), so the logits are the same to the last bit.
"""

from __future__ import annotations

import numpy as np

from copydesk.text.scorer import TreeStage


class Forest:
    """A `TreeStage`'s trees as flat tables, built once per model, ready for `logits`.

    Node ids are global: tree t's heap position p is t * inner + p. A step
    from node k goes to `right[k] - left` (heap position 2p + 2 - left of the
    same tree, left being x[feature] <= threshold); the last step goes to
    `leaf[k] - left`, an index in the flattened table of leaf values.
    """

    def __init__(self, stage: TreeStage) -> None:
        if stage.depth < 1:
            raise ValueError("a tree stage needs depth 1 or more")
        feature, threshold, value = stage._heap()
        trees, inner = feature.shape
        offset = np.arange(trees, dtype=np.intp) * inner
        self.base, self.depth, self.trees = float(stage.base), int(stage.depth), trees
        self.feature = feature.ravel().astype(np.intp)
        self.threshold = threshold.ravel().copy()
        self.value = value.ravel().copy()
        heap = np.arange(inner, dtype=np.intp)
        self.right = (offset[:, None] + 2 * heap + 2).ravel()
        self.root_feature = feature[:, 0].astype(np.intp)
        self.root_threshold = threshold[:, 0].copy()
        # tree t's leaf l (heap position inner + l) is value t * (inner + 1) + l
        self.leaf = self.right + (np.arange(trees, dtype=np.intp) - inner).repeat(inner)
        self.first = (self.right if self.depth > 1 else self.leaf)[offset]  # the root's step

    def logits(self, x: np.ndarray) -> np.ndarray:
        """base + the sum of every tree's leaf, per row of `x` (the stage's features)."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        n = x.shape[0]
        if n == 0:
            return np.zeros(0)
        flat = x.ravel()
        rows = (np.arange(n, dtype=np.intp) * x.shape[1])[:, None]
        node = self.first - (x[:, self.root_feature] <= self.root_threshold)
        for level in range(1, self.depth):
            left = flat.take(rows + self.feature.take(node)) <= self.threshold.take(node)
            node = (self.right if level < self.depth - 1 else self.leaf).take(node) - left
        leaves = self.value.take(node)
        return self.base + _tree_sum(leaves)


def _tree_sum(leaves: np.ndarray) -> np.ndarray:
    """Per row, the leaf values added as the compiled walk adds them: each group of
    four trees ((a + b) + c) + d, the groups in turn, then the remaining trees one by one."""
    trees = leaves.shape[1]
    full = trees - trees % 4
    total = np.zeros(leaves.shape[0])
    if full:
        groups = leaves[:, 0:full:4] + leaves[:, 1:full:4] + leaves[:, 2:full:4] \
            + leaves[:, 3:full:4]
        total = np.cumsum(groups, axis=1)[:, -1]
    for t in range(full, trees):
        total = total + leaves[:, t]
    return total
