"""The shared kernel every service stands on: settings, database + unit of work, outbox,
Kafka relay and consumer, gRPC helpers, auth, errors, logging, metrics, tracing and the
embedded-server launchers."""
