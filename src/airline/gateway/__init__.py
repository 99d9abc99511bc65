"""The public REST/JSON API: the only thing browsers talk to; it reaches services over gRPC."""
