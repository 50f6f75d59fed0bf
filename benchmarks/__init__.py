"""Benchmarks: latency and throughput, voice quality, memory, soak, text front end (see README)."""
