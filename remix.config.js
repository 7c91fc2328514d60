/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  appDirectory: "app",
  serverModuleFormat: "esm",
  // The production server (server.ts) is bundled with the app: `npm start` runs build/index.js.
  server: "./server.ts",
  serverBuildPath: "build/index.js",
  serverPlatform: "node",
  // JSON locale files are inlined: Node would need an import attribute to load them as ESM.
  serverDependenciesToBundle: [/^@shopify\/polaris\/locales\//],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
};
