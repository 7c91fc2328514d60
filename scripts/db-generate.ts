// Generates one Prisma client per provider (@prisma/client and prisma/generated/postgres, gitignored).
// Each run needs a DATABASE_URL of its own provider, or Prisma falls back to downloading
// a native engine; no database is contacted.
import { providers, schemaPath } from "./prisma-schemas";
import { prisma } from "./prisma-cli";

const placeholder = { sqlite: "file:./prisma/dev.db", postgres: "postgresql://localhost:5432/holdfast" };
for (const provider of providers) {
  const result = prisma(["generate", "--schema", schemaPath(provider)], placeholder[provider], { capture: true });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    process.exit(result.status ?? 1);
  }
  console.log(`generated the ${provider} client`);
}
