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
