variable "name" {
  type = string
}

variable "mode" {
  type        = string
  description = "managed (Amazon RDS) or operator (CloudNativePG in the cluster: nothing made here)"
  default     = "managed"
  validation {
    condition     = contains(["managed", "operator"], var.mode)
    error_message = "mode is managed or operator"
  }
}

variable "engine_version" {
  type    = string
  default = "17"
}

variable "instance_class" {
  type    = string
  default = "db.m7g.large"
}

variable "storage_gb" {
  type    = number
  default = 100
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

variable "monitoring_role_arn" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
