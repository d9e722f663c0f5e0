// Line plots of F1 against perturbation rate, drawn with Vega-Lite (compiled to Vega, rendered to SVG headless),
// and rasterised to PNG with resvg where its native binary is available.
import { createRequire } from 'node:module';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

export interface RobustnessPoint {
  backend: string;
  kind: string;
  rate: number;
  f1: number;
}

export async function robustnessSvg(points: readonly RobustnessPoint[], title: string): Promise<string> {
  const spec: vegaLite.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 300,
    background: 'white',
    data: { values: points.map((p) => ({ ...p, series: `${p.backend} · ${p.kind}` })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rate', type: 'quantitative', title: 'perturbation rate', axis: { format: '.0%' } },
      y: { field: 'f1', type: 'quantitative', title: 'lenient micro F1', scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: 'backend · perturbation', legend: { labelLimit: 400, titleLimit: 400 } },
    },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** PNG bytes of an SVG, or undefined with the reason when resvg's native binary cannot load on this platform. */
export function svgToPng(svg: string): { png: Uint8Array } | { reason: string } {
  try {
    // Loaded lazily and outside the bundle: a native module for the platform, optional by design.
    const load = createRequire(typeof __filename === 'string' ? __filename : `${process.cwd()}/`);
    const { Resvg } = load('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
    return { png: new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } }).render().asPng() };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}
