"""The crew service over gRPC and through the gateway."""
