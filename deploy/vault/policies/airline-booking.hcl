# booking: reads its own secrets (database, its own keys) and the shared Redis URL, nothing else.
path "secret/data/airline/booking/*" {
  capabilities = ["read"]
}

path "secret/data/airline/shared/*" {
  capabilities = ["read"]
}
