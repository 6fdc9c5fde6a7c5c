// Maps the tsconfig "@tf/*" aliases for Jest, so tests and the compiler agree on one source of truth.
const { compilerOptions } = require('../tsconfig.json');
exports.pathsToModuleNameMapper = () =>
  Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
  );
