"""`foreman import`: history from CSV or XLSX (contract §12) — read, check every row, then store in bulk."""
