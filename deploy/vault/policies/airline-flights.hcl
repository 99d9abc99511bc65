# flights: reads its own secrets (database, its own keys) and the shared Redis URL, nothing else.
path "secret/data/airline/flights/*" {
  capabilities = ["read"]
}

path "secret/data/airline/shared/*" {
  capabilities = ["read"]
}
