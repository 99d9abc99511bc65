import type { NextConfig } from "next";

const config: NextConfig = {
  // A static site: the gateway serves it at / (no Node server in production).
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  transpilePackages: ["@airline/ui"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
