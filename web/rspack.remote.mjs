// The one build recipe of every remote: each apps/<remote>/rspack.config.mjs only names itself,
// so adding a remote is copying a folder and adding one line to remotes.json.
import path from "node:path";
import { rspack } from "@rspack/core";
import { ModuleFederationPlugin } from "@module-federation/enhanced/rspack";

export function remoteConfig({ name, dir, title, exposes = { "./App": "./src/App.tsx" } }) {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`federation name ${name} must be a JavaScript identifier`);
  const dev = process.env.NODE_ENV === "development";
  return {
    context: dir,
    mode: dev ? "development" : "production",
    devtool: dev ? "eval-cheap-module-source-map" : false,
    entry: { main: "./src/standalone.tsx" },
    output: {
      path: path.join(dir, "dist"),
      // "auto": chunks load from wherever remoteEntry.js was served (/remotes/<folder>/ behind the gateway)
      publicPath: "auto",
      // hashed names may be cached for ever; remoteEntry.js keeps its name and is never cached
      filename: "[name].[contenthash:10].js",
      chunkFilename: "[name].[contenthash:10].js",
      uniqueName: name,
      clean: true,
    },
    resolve: { extensions: [".tsx", ".ts", ".jsx", ".js"] },
    module: {
      rules: [
        {
          test: /\.[jt]sx?$/,
          exclude: /node_modules/,
          loader: "builtin:swc-loader",
          options: {
            jsc: {
              parser: { syntax: "typescript", tsx: true },
              transform: { react: { runtime: "automatic", development: dev } },
            },
            env: { targets: "chrome >= 100, firefox >= 100, safari >= 15" },
          },
          type: "javascript/auto",
        },
      ],
    },
    plugins: [
      new ModuleFederationPlugin({
        name,
        filename: "remoteEntry.js",
        exposes,
        // one React for the shell and every remote: hooks break with two copies on a page
        shared: {
          react: { singleton: true, requiredVersion: false },
          "react-dom": { singleton: true, requiredVersion: false },
        },
        dts: false,
        manifest: false,
      }),
      new rspack.HtmlRspackPlugin({ title: title ?? name, templateContent: '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>' + (title ?? name) + '</title></head><body><div id="root"></div></body></html>' }),
    ],
    performance: { hints: false },
  };
}
