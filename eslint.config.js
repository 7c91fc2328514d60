import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

const noResponseJson = { selector: "MemberExpression[object.name='Response'][property.name='json']", message: "Use json() from @remix-run/node." };
// Every variable the app reads is in app/config.server.ts's validated schema, read through it.
const noProcessEnv = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: "Read configuration through app/config.server.ts (appConfig() or one of its sections).",
};

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "prisma/generated/**", ".cache/**", "test-artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["**/*.mjs"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
  {
    // The theme app extension's script runs as it is in shoppers' browsers (no bundler), as a classic script.
    files: ["extensions/holdfast-theme/assets/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: { document: "readonly", window: "readonly", location: "readonly", fetch: "readonly", setInterval: "readonly", clearInterval: "readonly" },
    },
  },
  {
    // Remix's own fetch globals (remix-serve, `remix dev`) have no static Response.json: the
    // checkout answered 500 under them once (issue 11). json() from @remix-run/node works under any.
    files: ["app/**/*.{ts,tsx}", "server.ts"],
    rules: { "no-restricted-syntax": ["error", noResponseJson, noProcessEnv] },
  },
  {
    // Configuration is read in one place (issue 12); tests set the environment up for the app.
    files: ["app/config.server.ts", "app/**/*.test.{ts,tsx}"],
    rules: { "no-restricted-syntax": ["error", noResponseJson] },
  },
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The totals engine computes in integer minor units: no float rounding or formatting.
    files: ["app/totals/**/*.ts"],
    ignores: ["app/totals/**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "round", message: "Round exactly with mulDivRound (integer minor units)." },
        { object: "Math", property: "floor", message: "Use integer or BigInt arithmetic on minor units." },
        { object: "Math", property: "ceil", message: "Use integer or BigInt arithmetic on minor units." },
        { object: "Number", property: "parseFloat", message: "Parse amounts exactly with parseDecimal." },
        { property: "toFixed", message: "Format amounts exactly with formatDecimal." },
      ],
      "no-restricted-globals": ["error", { name: "parseFloat", message: "Parse amounts exactly with parseDecimal." }],
    },
  },
  {
    // Money is integer minor units: no floating-point parsing in the domain code.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/**/*.test.{ts,tsx}", "app/totals/**"],
    rules: {
      "no-restricted-globals": ["error", { name: "parseFloat", message: "Money is integer minor units: parse amounts exactly." }],
      "no-restricted-properties": ["error", { object: "Number", property: "parseFloat", message: "Money is integer minor units: parse amounts exactly." }],
    },
  },
);
