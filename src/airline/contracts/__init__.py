"""Cross-service contracts, each fact published once: the event catalogue (`events`) and the
shared proto messages (`v1`, generated from proto/airline/contracts/v1/)."""
