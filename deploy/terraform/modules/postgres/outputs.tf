output "host" {
  description = "Where the services' DATABASE_URLs point (the CloudNativePG read-write service in operator mode)"
  value       = var.mode == "managed" ? aws_db_instance.this[0].address : "airline-pg-rw.airline"
}

output "master_secret_arn" {
  value = var.mode == "managed" ? aws_db_instance.this[0].master_user_secret[0].secret_arn : null
}
