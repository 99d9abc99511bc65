"""The payment service over gRPC."""
