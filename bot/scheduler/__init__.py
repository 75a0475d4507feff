"""Scheduled posts: the tick, its ledger and jobs."""
