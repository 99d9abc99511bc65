variable "name" {
  type = string
}

variable "cloudflare_zone_id" {
  type = string
}

variable "web_hostname" {
  type        = string
  description = "e.g. www.airline.example.com"
}

variable "api_hostname" {
  type        = string
  description = "e.g. api.airline.example.com"
}

variable "api_origin_hostname" {
  type        = string
  description = "The Kong load balancer's DNS name"
}

variable "tags" {
  type    = map(string)
  default = {}
}
