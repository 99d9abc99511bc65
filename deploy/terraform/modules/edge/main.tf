# DNS and CDN on Cloudflare: the web shell's static assets from a private S3 bucket through
# Cloudflare's cache, and the API name proxied to the Kong load balancer (never cached).
terraform {
  required_providers {
    aws        = { source = "hashicorp/aws", version = "~> 5.80" }
    cloudflare = { source = "cloudflare/cloudflare", version = "~> 4.48" }
  }
}

resource "aws_s3_bucket" "web" {
  #checkov:skip=CKV_AWS_18:requests are logged at the Cloudflare edge, the only client the bucket policy admits
  #checkov:skip=CKV_AWS_144:the assets are rebuilt from git by CI; a second region adds nothing
  #checkov:skip=CKV_AWS_145:public web assets: SSE-S3 is enough, a KMS key would only add cost
  #checkov:skip=CKV2_AWS_62:nothing reacts to uploads; CI uploads and purges the CDN itself
  #checkov:skip=CKV2_AWS_6:the access block is below; public policy stays allowed for Cloudflare's addresses
  #checkov:skip=CKV_AWS_70:the bucket policy admits any principal from Cloudflare's address ranges only (the CDN origin)
  bucket = "${var.name}-web-assets"
  tags   = var.tags
}

resource "aws_s3_bucket_public_access_block" "web" {
  #checkov:skip=CKV_AWS_54:the bucket policy admits Cloudflare's address ranges (the CDN origin)
  #checkov:skip=CKV_AWS_56:as above: restricting public buckets would shut Cloudflare out
  bucket                  = aws_s3_bucket.web.id
  block_public_acls       = true
  block_public_policy     = false # the policy below admits Cloudflare's addresses only
  ignore_public_acls      = true
  restrict_public_buckets = false
}

resource "aws_s3_bucket_versioning" "web" {
  bucket = aws_s3_bucket.web.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "web" {
  bucket = aws_s3_bucket.web.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "web" {
  bucket = aws_s3_bucket.web.id
  rule {
    id     = "old-builds"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_website_configuration" "web" {
  bucket = aws_s3_bucket.web.id
  index_document {
    suffix = "index.html"
  }
  error_document {
    key = "404.html"
  }
}

data "cloudflare_ip_ranges" "cloudflare" {}

resource "aws_s3_bucket_policy" "web" {
  #checkov:skip=CKV_AWS_70:any principal, but only from Cloudflare's address ranges (the condition below): the CDN origin
  bucket = aws_s3_bucket.web.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CloudflareOnly"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.web.arn}/*"
      Condition = { IpAddress = { "aws:SourceIp" = data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks } }
    }]
  })
}

resource "cloudflare_record" "web" {
  zone_id = var.cloudflare_zone_id
  name    = var.web_hostname
  type    = "CNAME"
  content = aws_s3_bucket_website_configuration.web.website_endpoint
  proxied = true
}

resource "cloudflare_record" "api" {
  zone_id = var.cloudflare_zone_id
  name    = var.api_hostname
  type    = "CNAME"
  content = var.api_origin_hostname
  proxied = true
}

resource "cloudflare_ruleset" "cache" {
  zone_id = var.cloudflare_zone_id
  name    = "airline cache rules"
  kind    = "zone"
  phase   = "http_request_cache_settings"

  rules {
    description = "web assets: cache at the edge (file names carry content hashes)"
    expression  = "(http.host eq \"${var.web_hostname}\")"
    action      = "set_cache_settings"
    action_parameters {
      cache = true
      edge_ttl {
        mode    = "override_origin"
        default = 86400
      }
    }
    enabled = true
  }

  rules {
    description = "API and live streams: never cached"
    expression  = "(http.host eq \"${var.api_hostname}\")"
    action      = "set_cache_settings"
    action_parameters {
      cache = false
    }
    enabled = true
  }
}
