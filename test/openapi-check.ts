// Checks a real answer of the API against its OpenAPI document: the status must be documented
// for that operation, and the body must match the documented schema.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const pointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

export function openApiChecker(document: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }, prefix: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, "api");
  const templates = Object.keys(document.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`) }));
  return (path: string, method: string, status: number, body: unknown) => {
    const local = path.replace(prefix, "").split("?")[0];
    const template = templates.find((x) => x.re.test(local))?.t;
    if (!template) throw new Error(`${path} is not in the OpenAPI document`);
    const operation = document.paths[template][method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${template} is not in the OpenAPI document`);
    if (!operation.responses[String(status)]) throw new Error(`${method} ${template} answered ${status}, which the document does not list`);
    const validate = ajv.getSchema(`api#/paths/${pointer(template)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`);
    if (validate && !validate(body)) throw new Error(`${method} ${template} ${status}: ${ajv.errorsText(validate.errors)}`);
  };
}
