variable "name" {
  type        = string
  description = "Prefix of every resource's name"
}

variable "cidr_block" {
  type        = string
  description = "The VPC's address range"
  default     = "10.40.0.0/16"
}

variable "flow_log_group_arn" {
  type        = string
  description = "CloudWatch log group receiving rejected-traffic flow logs"
}

variable "flow_log_role_arn" {
  type        = string
  description = "IAM role the flow logs write with"
}

variable "tags" {
  type    = map(string)
  default = {}
}
