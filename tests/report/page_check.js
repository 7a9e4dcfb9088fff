// Injected by the browser test first into <head> of a copy of a report: records the page's
// errors and console.error calls, and after load checks every canvas from outside the page's
// own code: a Chart.js chart, with data, whose marks are on the canvas (coloured pixels: the
// axes, grid lines and text are grey). Writes its findings, the page's height and title as
// JSON into <pre id="page-check">.
(function () {
  const errors = [];
  addEventListener('error', (e) => errors.push('error: ' + e.message));
  addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + e.reason));
  const consoleError = console.error;
  console.error = (...args) => {
    errors.push('console.error: ' + args.join(' '));
    consoleError.apply(console, args);
  };
  addEventListener('load', () => setTimeout(() => {
    const canvases = [...document.querySelectorAll('canvas')].map((canvas) => {
      const chart = window.Chart ? Chart.getChart(canvas) : undefined;
      const points = chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0;
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let marks = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
        if (pixels[i + 3] > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) ++marks;
      }
      return { id: canvas.id, chart: chart !== undefined, points, marks };
    });
    const out = document.createElement('pre');
    out.id = 'page-check';
    out.textContent = JSON.stringify({ errors, canvases, height: document.documentElement.scrollHeight, title: document.title });
    document.body.appendChild(out);
  }, 1000));
})();
