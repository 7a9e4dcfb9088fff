// Draws the report's charts with Chart.js (inlined before this script) from the JSON in
// #report-data. A static page: no animation, nothing fetched, every canvas drawn at load.
'use strict';
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
  const kr = (v) => (Math.abs(v) >= 1e6 ? (v / 1e6).toFixed(2) + 'M kr' : whole.format(v) + ' kr');
  const perM2 = (v) => whole.format(v) + ' kr/m²';
  // Axis ticks: 850k, 4.5M.
  const short = (v) => (Math.abs(v) >= 1e6 ? +(v / 1e6).toFixed(1) + 'M' : Math.abs(v) >= 1e3 ? +(v / 1e3).toFixed(0) + 'k' : String(v));
  const place = (p) => p.address + (p.city ? ', ' + p.city : '');
  const blue = '#2f6fb3', teal = '#2a9d8f', orange = '#e76f51', green = '#3a7d44';

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#3d444d';
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  const municipalities = data.market.filter((r) => r.municipality_code !== 0);

  // Horizontal bars, one per municipality, largest first.
  function byMunicipality(id, field, label, format) {
    const rows = municipalities.filter((r) => r[field] !== null).sort((a, b) => b[field] - a[field]);
    new Chart(document.getElementById(id), {
      type: 'bar',
      data: { labels: rows.map((r) => r.municipality), datasets: [{ label, data: rows.map((r) => r[field]), backgroundColor: blue }] },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => format(c.parsed.x) } } },
        scales: { x: { beginAtZero: true, ticks: { callback: short } }, y: { ticks: { autoSkip: false } } },
      },
    });
  }
  byMunicipality('chart-price-per-m2', 'median_price_per_m2', 'median asking price per m²', perM2);
  byMunicipality('chart-listed', 'listed', 'listed now', (v) => whole.format(v) + ' listed');

  const week = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  new Chart(document.getElementById('chart-weeks'), {
    type: 'bar',
    data: {
      labels: data.weeks.map((w) => week.format(new Date(w.week_start))),
      datasets: [
        { label: 'new listings', data: data.weeks.map((w) => w.new_listings), backgroundColor: blue },
        { label: 'price cuts', data: data.weeks.map((w) => w.price_cuts), backgroundColor: orange },
        { label: 'sales', data: data.weeks.map((w) => w.sales), backgroundColor: green },
      ],
    },
    options: {
      plugins: { tooltip: { callbacks: { title: (items) => 'week of ' + items[0].label } } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { title: { display: true, text: 'week starting (Monday, UTC)' } } },
    },
  });

  const priced = data.listings.filter((l) => l.price !== null && l.living_area !== null && l.living_area > 0);
  new Chart(document.getElementById('chart-price-area'), {
    type: 'scatter',
    data: { datasets: [{ label: 'open listings', data: priced.map((l) => ({ x: l.living_area, y: l.price, l })), backgroundColor: teal + 'a0', pointRadius: 2.5 }] },
    options: {
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => place(c.raw.l) + ': ' + kr(c.raw.y) + ', ' + c.raw.x + ' m²' } } },
      scales: {
        x: { title: { display: true, text: 'living area (m²)' } },
        y: { title: { display: true, text: 'asking price (kr)' }, ticks: { callback: short } },
      },
    },
  });

  // The map: longitude against latitude, coloured by price per m² in five bands of equal
  // count (quintiles), on axes whose degrees are scaled to equal distances on the ground.
  const located = data.listings.filter((l) => l.latitude !== null && l.longitude !== null);
  const known = located.filter((l) => l.price_per_m2 !== null).map((l) => l.price_per_m2).sort((a, b) => a - b);
  const colours = ['#1d4e89', '#2a9d8f', '#8ab17d', '#f4a261', '#d62828'];
  const bounds = [1, 2, 3, 4].map((i) => known[Math.floor((i * known.length) / 5)]);
  const band = (v) => bounds.filter((b) => v >= b).length;
  const names = colours.map((_, i) =>
    i === 0 ? 'under ' + short(bounds[0]) : i === 4 ? short(bounds[3]) + ' and more' : short(bounds[i - 1]) + '–' + short(bounds[i]));
  const point = (l) => ({ x: l.longitude, y: l.latitude, l });
  const datasets = known.length === 0 ? [] : colours.map((c, i) => ({
    label: names[i] + ' kr/m²', backgroundColor: c, pointRadius: 3,
    data: located.filter((l) => l.price_per_m2 !== null && band(l.price_per_m2) === i).map(point),
  }));
  const unknown = located.filter((l) => l.price_per_m2 === null);
  if (unknown.length > 0) datasets.push({ label: 'price/m² unknown', backgroundColor: '#9aa0a6', pointRadius: 3, data: unknown.map(point) });
  const map = new Chart(document.getElementById('chart-map'), {
    type: 'scatter',
    data: { datasets },
    options: {
      plugins: {
        legend: { position: 'top' },
        tooltip: { callbacks: { label: (c) => place(c.raw.l) + ': ' + (c.raw.l.price_per_m2 === null ? 'price/m² unknown' : perM2(c.raw.l.price_per_m2)) } },
      },
      scales: {
        x: { title: { display: true, text: 'longitude (°E)' }, ticks: { includeBounds: false, callback: (v) => (+v).toFixed(2) } },
        y: { title: { display: true, text: 'latitude (°N)' }, ticks: { includeBounds: false, callback: (v) => (+v).toFixed(2) } },
      },
    },
  });

  // A degree of longitude is cos(latitude) of a degree of latitude on the ground: widen one
  // axis's range until both have as many pixels per kilometre. Twice, as the ticks' widths
  // move the plot area.
  function fitAspect() {
    if (located.length === 0) return;
    const lons = located.map((l) => l.longitude), lats = located.map((l) => l.latitude);
    let [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    const shrink = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
    const pad = Math.max(x1 - x0, y1 - y0, 0.01) * 0.04;
    [x0, x1, y0, y1] = [x0 - pad, x1 + pad, y0 - pad, y1 + pad];
    const area = map.chartArea;
    const wanted = area.width / area.height;  // ground width / ground height the plot shows
    const ground = ((x1 - x0) * shrink) / (y1 - y0);
    if (ground < wanted) {
      const grow = ((y1 - y0) * wanted) / shrink - (x1 - x0);
      [x0, x1] = [x0 - grow / 2, x1 + grow / 2];
    } else {
      const grow = ((x1 - x0) * shrink) / wanted - (y1 - y0);
      [y0, y1] = [y0 - grow / 2, y1 + grow / 2];
    }
    Object.assign(map.options.scales.x, { min: x0, max: x1 });
    Object.assign(map.options.scales.y, { min: y0, max: y1 });
    map.update('none');
  }
  const fit = () => { fitAspect(); fitAspect(); };
  fit();
  addEventListener('resize', () => setTimeout(fit, 100));  // after Chart.js has resized the canvas
})();
