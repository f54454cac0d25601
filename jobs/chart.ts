export interface ChartSeries {
  name: string;
  /** A level (1-5) per round label, or null where the team had no shown result. */
  values: (number | null)[];
}

/**
 * Levels per team over the last rounds as a PNG: Apache ECharts renders SVG on the server (no browser,
 * no canvas) and resvg turns it into PNG. Both load on the first chart: a web process never pays
 * their memory (about 50 MB).
 */
export async function levelsChart(
  title: string,
  rounds: string[],
  series: ChartSeries[],
): Promise<Uint8Array> {
  const [echarts, { Resvg }] = await Promise.all([import("echarts"), import("@resvg/resvg-js")]);
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: 900, height: 480 });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: "#ffffff",
      title: { text: title, left: "center", top: 8, textStyle: { fontSize: 18 } },
      legend: { bottom: 8, type: "plain" },
      grid: { left: 60, right: 30, top: 60, bottom: 70 },
      xAxis: { type: "category", data: rounds, boundaryGap: false },
      yAxis: { type: "value", min: 1, max: 5, interval: 1, name: "Level" },
      series: series.map((s) => ({
        type: "line",
        name: s.name,
        data: s.values,
        connectNulls: true,
        symbolSize: 8,
        lineStyle: { width: 3 },
      })),
    });
    const svg = chart.renderToSVGString();
    return new Uint8Array(
      new Resvg(svg, { background: "#ffffff", font: { loadSystemFonts: true } }).render().asPng(),
    );
  } finally {
    chart.dispose();
  }
}

/** Width and height of a PNG, from its IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(png);
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}
