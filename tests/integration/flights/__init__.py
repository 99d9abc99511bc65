"""The flights service over gRPC (flights, schedules, status changes, fares)."""
