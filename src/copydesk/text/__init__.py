"""Plain-text dumps -> Blocks: see `copydesk.text.segment`.

This `__init__` imports nothing: `text.segment` brings numba and the compiled
kernels, which an HTML-only process never needs (`text.warm`).
"""
