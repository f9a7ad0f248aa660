// Builds dist/vega-runtime.js (`npm ci && npm run build`), which defence_course.sphinxext copies
// to the site's _static/vega/.
// The bundle is committed, so that the book builds without Node; its banner names the versions
// of the packages inside it (tests/test_vega_runtime.py compares them with package-lock.json)
// and the transforms it registers.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, 'dist', 'vega-runtime.js');

// d3-scale-chromatic builds every colour scheme with top-level calls, which a bundler must keep
// as possible side effects; Vega imports only its categorical schemes. Marking those calls
// /* @__PURE__ */ lets esbuild leave out the schemes nothing uses.
const pureColourSchemes = {
  name: 'pure-colour-schemes',
  setup(build) {
    build.onLoad({filter: /d3-scale-chromatic[\\/]dist[\\/].*\.mjs$/}, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      return {contents: source.replace(/^(var|const) ([\w$]+) = (?=new |[\w$]+\()/gm,
        '$1 $2 = /* @__PURE__ */ '), loader: 'js'};
    });
  },
};

const result = await esbuild.build({
  entryPoints: [path.join(here, 'entry.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'none',
  metafile: true,
  plugins: [pureColourSchemes],
  write: false,
});
const bundled = new Set(Object.keys(result.metafile.inputs)
  .map((file) => file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//))
  .filter(Boolean).map((m) => m[1]));
const version = (name) =>
  JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
const licence = (name) =>
  JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).license;
const entry = fs.readFileSync(path.join(here, 'entry.js'), 'utf8');
const transforms = entry.match(/const TRANSFORMS = \{([^}]*)\}/)[1]
  .split(',').map((s) => s.split(':')[0].trim()).filter(Boolean).sort();
const packages = [...bundled].sort().map((name) => `${name}@${version(name)} (${licence(name)})`);
const banner = [
  '/*! The course website\'s chart runtime, built by tools/vega-runtime (esbuild) from:',
  ...packages.map((p) => ` *   ${p}`),
  ' * Vega: Copyright (c) 2015-2023, University of Washington Interactive Data Lab. BSD-3-Clause.',
  ' * d3: Copyright Mike Bostock. ISC. vega-tooltip: Copyright (c) 2016, University of',
  ' * Washington Interactive Data Lab. BSD-3-Clause. Full texts: the packages\' LICENSE files.',
  ` * Transforms: ${transforms.join(' ')}`,
  ' */',
].join('\n');
fs.mkdirSync(path.dirname(OUT), {recursive: true});
fs.writeFileSync(OUT, banner + '\n' + result.outputFiles[0].text);
console.log(`${OUT}: ${fs.statSync(OUT).size} bytes, ${packages.length} packages`);
