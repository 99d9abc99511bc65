variable "name" {
  type = string
}

variable "node_type" {
  type    = string
  default = "cache.m7g.large"
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "client_cidr" {
  type = string
}

variable "auth_token" {
  type        = string
  sensitive   = true
  description = "From the secret store (TF_VAR_auth_token), written to Vault for the pods"
}

variable "tags" {
  type    = map(string)
  default = {}
}
