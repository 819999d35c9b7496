"""Request plumbing: htmx responses, rate limits, request logs, the accounts adapter."""
