variable "name" {
  type = string
}

variable "kubernetes_version" {
  type    = string
  default = "1.33"
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets, one per zone"
}

variable "cluster_role_arn" {
  type = string
}

variable "node_role_arn" {
  type = string
}

variable "instance_types" {
  type    = list(string)
  default = ["m7i.xlarge"]
}

variable "node_count" {
  type        = number
  description = "Nodes at rest (the autoscaler may triple it)"
  default     = 3
}

variable "tags" {
  type    = map(string)
  default = {}
}
