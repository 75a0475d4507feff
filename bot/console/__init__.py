"""The offline console: the real app against a local fake of the Slack Web API."""
