from airline.platform.migrations import run_env
from airline.reservation.store import metadata

run_env(metadata)
