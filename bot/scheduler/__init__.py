"""Scheduled posts: the tick, its calendar and jobs."""
