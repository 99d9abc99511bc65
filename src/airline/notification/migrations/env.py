from airline.notification.store import metadata
from airline.platform.migrations import run_env

run_env(metadata)
