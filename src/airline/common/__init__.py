"""Messages several services' gRPC contracts share, defined once (generated from
proto/airline/common/v1/): a service imports them instead of copying them."""
