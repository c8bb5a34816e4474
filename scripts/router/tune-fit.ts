/** The fit moved to src/tuning (the Worker's POST /admin/routes/:name/tune runs the same code); re-exported for the CLI. */
export * from "../../src/tuning/fit";
