# PostgreSQL either managed (Amazon RDS, Multi-AZ) or run by CloudNativePG in the cluster
# (deploy/k8s/base/postgres.yaml). Each service gets a database and role of its own either way;
# on RDS the migrate Jobs create nothing beyond their own schema.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.80" }
  }
}

locals {
  managed = var.mode == "managed"
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "postgres" {
  count               = local.managed ? 1 : 0
  description         = "${var.name} PostgreSQL storage and Performance Insights"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministers"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

# slow statements and every schema change in the logs (exported to CloudWatch)
resource "aws_db_parameter_group" "this" {
  count  = local.managed ? 1 : 0
  name   = var.name
  family = "postgres${var.engine_version}"

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }

  # the services' DATABASE_URLs use sslmode=require; refuse a connection that does not
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_subnet_group" "this" {
  count      = local.managed ? 1 : 0
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "postgres" {
  count       = local.managed ? 1 : 0
  name        = "${var.name}-postgres"
  description = "PostgreSQL: reachable from the cluster's subnets only"
  vpc_id      = var.vpc_id

  ingress {
    description = "PostgreSQL clients from the VPC"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.client_cidr]
  }
}

resource "aws_db_instance" "this" {
  count                               = local.managed ? 1 : 0
  identifier                          = var.name
  engine                              = "postgres"
  engine_version                      = var.engine_version
  instance_class                      = var.instance_class
  allocated_storage                   = var.storage_gb
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.postgres[0].arn
  performance_insights_kms_key_id     = aws_kms_key.postgres[0].arn
  parameter_group_name                = aws_db_parameter_group.this[0].name
  multi_az                            = true
  db_subnet_group_name                = aws_db_subnet_group.this[0].name
  vpc_security_group_ids              = [aws_security_group.postgres[0].id]
  username                            = "airline_admin"
  manage_master_user_password         = true
  iam_database_authentication_enabled = true
  backup_retention_period             = 14
  deletion_protection                 = true
  auto_minor_version_upgrade          = true
  performance_insights_enabled        = true
  copy_tags_to_snapshot               = true
  monitoring_interval                 = 60
  monitoring_role_arn                 = var.monitoring_role_arn
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${var.name}-final"
  tags                                = var.tags
}
