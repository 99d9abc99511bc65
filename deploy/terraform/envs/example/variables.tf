variable "environment" {
  type    = string
  default = "example"
}

variable "region" {
  type    = string
  default = "ap-southeast-1"
}

variable "kafka_mode" {
  type    = string
  default = "managed"
}

variable "postgres_mode" {
  type    = string
  default = "managed"
}

variable "cluster_role_arn" {
  type = string
}

variable "node_role_arn" {
  type = string
}

variable "flow_log_group_arn" {
  type = string
}

variable "flow_log_role_arn" {
  type = string
}

variable "redis_auth_token" {
  type      = string
  sensitive = true
}

variable "cloudflare_zone_id" {
  type = string
}

variable "web_hostname" {
  type    = string
  default = "www.airline.example.com"
}

variable "api_hostname" {
  type    = string
  default = "api.airline.example.com"
}

variable "api_origin_hostname" {
  type        = string
  description = "DNS name of the load balancer in front of Kong"
}
