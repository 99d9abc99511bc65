"""The airport service over gRPC (airports, gates, planes, plane commitments)."""
