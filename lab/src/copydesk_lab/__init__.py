"""copydesk's lab: benchmarks, trainers and data generators, kept out of the product.

Installed from the repository (`pip install -e ./lab`); registers `copydesk bench`,
`copydesk bench-corpus` and `copydesk bench-serve` through the `copydesk.commands`
entry-point group. copydesk itself never imports this package.
"""
