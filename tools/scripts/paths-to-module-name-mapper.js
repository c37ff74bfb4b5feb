// Turns tsconfig.base.json "paths" into Jest's moduleNameMapper, so the alias
// table lives in one place.
const fs = require('fs');
const path = require('path');

function pathsToModuleNameMapper(tsconfigFile, root) {
  const { compilerOptions } = JSON.parse(fs.readFileSync(tsconfigFile, 'utf8'));
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths ?? {})) {
    const escaped = alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    mapper[`^${escaped}$`] = path.join(root, target);
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
