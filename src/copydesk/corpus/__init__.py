"""Corpus-scale extraction: many inputs in, one row per input record out.

The flow (each step a small module):

    files.expand_inputs -> readers.iter_items  (Records, or rows decided by the reader)
        -> pool.WorkerPool / ray_engine        (extract_record in replaceable workers)
        -> sink.OrderedSink                    (input order, dedup, summary)
        -> shards.ShardedOutput                (atomic shards, journal, resume, merge)

The parent process reads containers and writes outputs; it never parses HTML.
"""
