variable "name" {
  type = string
}

variable "mode" {
  type        = string
  description = "managed (Amazon MSK) or operator (Strimzi in the cluster: nothing made here)"
  default     = "managed"
  validation {
    condition     = contains(["managed", "operator"], var.mode)
    error_message = "mode is managed or operator"
  }
}

variable "kafka_version" {
  type    = string
  default = "3.9.x"
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

variable "broker_instance_type" {
  type    = string
  default = "kafka.m7g.large"
}

variable "broker_volume_gb" {
  type    = number
  default = 100
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "broker_log_group" {
  type        = string
  description = "CloudWatch log group for the brokers' logs (managed mode)"
  default     = null
}
