"""Lab side of `copydesk.corpus`: benchmarks, trainers and generators (not in the product)."""
