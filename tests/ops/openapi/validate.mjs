// Fetches notes-server's /api/openapi.json and validates it against the official OpenAPI 3.1
// JSON schema (bundled in @seriousme/openapi-schema-validator: nothing is downloaded).
//   node validate.mjs http://127.0.0.1:PORT
import { Validator } from "@seriousme/openapi-schema-validator";

const base = process.argv[2];
const res = await fetch(`${base}/api/openapi.json`);
if (res.status !== 200) {
  console.error(`GET /api/openapi.json answered ${res.status}`);
  process.exit(1);
}
const document = await res.json();
const validator = new Validator();
const result = await validator.validate(document);
if (validator.version !== "3.1") {
  console.error(`the document claims OpenAPI ${document.openapi}, validated as ${validator.version}`);
  process.exit(1);
}
if (!result.valid) {
  console.error("the document breaks the OpenAPI 3.1 schema:");
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
console.log(`OpenAPI ${document.openapi} document of ${document.info.title} ${document.info.version}: valid`);
