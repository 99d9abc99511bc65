output "bootstrap_servers" {
  description = "KAFKA_BOOTSTRAP_SERVERS for the services (the Strimzi service name in operator mode)"
  value       = var.mode == "managed" ? aws_msk_cluster.this[0].bootstrap_brokers_tls : "airline-kafka-kafka-bootstrap.airline:9092"
}
