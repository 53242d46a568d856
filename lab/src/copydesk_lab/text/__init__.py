"""Lab side of `copydesk.text`: benchmarks, trainers and generators (not in the product)."""
