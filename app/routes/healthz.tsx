import db from "../db.server";

// For load balancers and the demo: the app is up and its database answers.
export const loader = async () => {
  await db.$queryRaw`SELECT 1`;
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
};
