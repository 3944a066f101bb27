// Bundles src/*.js into static/dist/ (ES modules, code-split so Plotly loads only where a
// page draws a figure) and copies KaTeX's stylesheet and fonts next to them.
import { cp, mkdir, rm } from "node:fs/promises";
import { build } from "esbuild";

const outdir = "static/dist";

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

await build({
  entryPoints: ["src/app.js", "src/lesson.js", "src/exercise.js", "src/dashboard.js", "src/tryinput.js", "src/scratchpad.js", "src/review.js"],
  bundle: true,
  splitting: true,
  format: "esm",
  target: ["es2020"],
  minify: true,
  sourcemap: false,
  outdir,
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "linked",
  logLevel: "info",
});

await cp("node_modules/katex/dist/katex.min.css", `${outdir}/katex/katex.min.css`);
await cp("node_modules/katex/dist/fonts", `${outdir}/katex/fonts`, { recursive: true });
console.log("built", outdir);
