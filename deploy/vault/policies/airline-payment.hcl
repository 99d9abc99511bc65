# payment: reads its own database credentials and the shared Redis URL and JWT key, nothing else.
path "secret/data/airline/payment/*" {
  capabilities = ["read"]
}

path "secret/data/airline/shared/*" {
  capabilities = ["read"]
}
