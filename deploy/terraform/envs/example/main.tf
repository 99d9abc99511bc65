# An example environment: everything one region needs. Copy the folder per environment, set the
# variables (terraform.tfvars, secrets as TF_VAR_*), then `terraform init && terraform apply`,
# and apply deploy/k8s/overlays/prod to the cluster it made.
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws        = { source = "hashicorp/aws", version = "~> 5.80" }
    cloudflare = { source = "cloudflare/cloudflare", version = "~> 4.48" }
  }
  backend "s3" {
    key     = "airline/example/terraform.tfstate"
    encrypt = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = local.tags
  }
}

provider "cloudflare" {}

locals {
  name = "airline-${var.environment}"
  tags = { project = "airline", environment = var.environment }
}

module "network" {
  source             = "../../modules/network"
  name               = local.name
  flow_log_group_arn = var.flow_log_group_arn
  flow_log_role_arn  = var.flow_log_role_arn
  tags               = local.tags
}

module "cluster" {
  source           = "../../modules/cluster"
  name             = local.name
  subnet_ids       = module.network.private_subnet_ids
  cluster_role_arn = var.cluster_role_arn
  node_role_arn    = var.node_role_arn
  node_count       = 3
  tags             = local.tags
}

module "kafka" {
  source      = "../../modules/kafka"
  name        = local.name
  mode        = var.kafka_mode
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids
  client_cidr = module.network.cidr_block
  tags        = local.tags
}

module "postgres" {
  source      = "../../modules/postgres"
  name        = local.name
  mode        = var.postgres_mode
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids
  client_cidr = module.network.cidr_block
  tags        = local.tags
}

module "redis" {
  source      = "../../modules/redis"
  name        = local.name
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids
  client_cidr = module.network.cidr_block
  auth_token  = var.redis_auth_token
  tags        = local.tags
}

module "edge" {
  source              = "../../modules/edge"
  name                = local.name
  cloudflare_zone_id  = var.cloudflare_zone_id
  web_hostname        = var.web_hostname
  api_hostname        = var.api_hostname
  api_origin_hostname = var.api_origin_hostname
  tags                = local.tags
}
