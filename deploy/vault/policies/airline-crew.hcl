# crew: reads its own database credentials and the shared Redis URL and JWT key, nothing else.
path "secret/data/airline/crew/*" {
  capabilities = ["read"]
}

path "secret/data/airline/shared/*" {
  capabilities = ["read"]
}
