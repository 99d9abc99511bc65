output "web_bucket" {
  description = "Where CI uploads the built web assets"
  value       = aws_s3_bucket.web.bucket
}

output "web_url" {
  value = "https://${var.web_hostname}"
}

output "api_url" {
  value = "https://${var.api_hostname}/api/v1"
}
