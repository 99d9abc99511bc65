# Kafka either managed (Amazon MSK, 3 brokers in 3 zones) or run by Strimzi inside the cluster
# (deploy/k8s/base/kafka.yaml): the services only need KAFKA_BOOTSTRAP_SERVERS either way.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.80" }
  }
}

locals {
  managed = var.mode == "managed"
}

resource "aws_security_group" "kafka" {
  count       = local.managed ? 1 : 0
  name        = "${var.name}-kafka"
  description = "Kafka brokers: reachable from the cluster's subnets only"
  vpc_id      = var.vpc_id

  ingress {
    description = "TLS clients from the VPC"
    from_port   = 9094
    to_port     = 9094
    protocol    = "tcp"
    cidr_blocks = [var.client_cidr]
  }
}

resource "aws_msk_configuration" "this" {
  count             = local.managed ? 1 : 0
  name              = "${var.name}-kafka"
  kafka_versions    = [var.kafka_version]
  server_properties = <<-PROPS
    default.replication.factor=3
    min.insync.replicas=2
    auto.create.topics.enable=false
  PROPS
}

resource "aws_msk_cluster" "this" {
  count                  = local.managed ? 1 : 0
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.kafka[0].id]
    storage_info {
      ebs_storage_info {
        volume_size = var.broker_volume_gb
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this[0].arn
    revision = aws_msk_configuration.this[0].latest_revision
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = var.broker_log_group
      }
    }
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  tags = var.tags
}
