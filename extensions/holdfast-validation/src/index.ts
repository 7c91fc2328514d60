// The Function's exports, named after its targets' `export` (cart-validations-generate-run).
export { cartValidationsGenerateRun } from "./cart_validations_generate_run";
