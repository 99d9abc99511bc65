from airline.flights.tables import metadata
from airline.platform.migrations import run_env

run_env(metadata)
