"""`copydesk bench-fetch`: the fetcher against many simulated local hosts (`server`)."""
