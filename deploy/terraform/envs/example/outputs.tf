output "cluster_name" {
  value = module.cluster.cluster_name
}

output "kafka_bootstrap_servers" {
  value = module.kafka.bootstrap_servers
}

output "postgres_host" {
  value = module.postgres.host
}

output "redis_primary_endpoint" {
  value = module.redis.primary_endpoint
}

output "web_bucket" {
  value = module.edge.web_bucket
}

output "api_url" {
  value = module.edge.api_url
}
