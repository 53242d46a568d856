"""Lab side of `copydesk.serve`: benchmarks, trainers and generators (not in the product)."""
