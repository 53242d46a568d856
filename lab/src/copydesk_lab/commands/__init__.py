"""Lab side of `copydesk.commands`: benchmarks, trainers and generators (not in the product)."""
