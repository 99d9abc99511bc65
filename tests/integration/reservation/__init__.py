"""The reservation service over gRPC (seat holds, rules, events)."""
