"""Chinese full-text search over every text node of every volume."""
