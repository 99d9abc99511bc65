"""Payment: methods, authorise/capture/refund, idempotency."""
