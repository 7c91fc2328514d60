// `expect(answer).toBeApiError(status, code)`: an API refusal as every route gives it, the
// status, a machine-readable code and a message a person can act on.
import { expect } from "vitest";

interface ApiErrorMatchers<R = unknown> {
  toBeApiError(status: number, code?: string): R;
}
declare module "vitest" {
  interface Assertion<T = any> extends ApiErrorMatchers<T> {} // eslint-disable-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends ApiErrorMatchers {} // eslint-disable-line @typescript-eslint/no-empty-object-type
}

expect.extend({
  toBeApiError(received: { status?: number; body?: { error?: { code?: unknown; message?: unknown } } }, status: number, code?: string) {
    const error = received?.body?.error;
    const problems = [
      received?.status !== status && `status ${received?.status}, expected ${status}`,
      typeof error?.code !== "string" && "no error.code",
      code !== undefined && error?.code !== code && `code ${JSON.stringify(error?.code)}, expected ${JSON.stringify(code)}`,
      (typeof error?.message !== "string" || !error.message.trim()) && "no error.message",
    ].filter(Boolean);
    return {
      pass: problems.length === 0,
      message: () =>
        problems.length
          ? `expected an API error ${status}${code ? ` ${code}` : ""}: ${problems.join("; ")} (body: ${JSON.stringify(received?.body)?.slice(0, 300)})`
          : `expected no API error ${status}${code ? ` ${code}` : ""}`,
    };
  },
});
