"""Cross-service contracts, each fact published once: the event catalogue (`events`). The
messages several gRPC contracts share are generated into `airline.common.v1`."""
