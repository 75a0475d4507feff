"""Domain operations; each takes a Session and keyword arguments."""
