"""What the tests share: factories of unique test data, HTTP and gRPC helpers, the platform launchers.

Test modules import helpers only from here (fixtures come from conftest files)."""
