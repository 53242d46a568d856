"""Lab side of `copydesk.classify`: benchmarks, trainers and generators (not in the product)."""
