"""Services: library calls that combine the store's records into answers (timeline, …)."""
