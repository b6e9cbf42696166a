/**
 * The report page's script, run after Chart.js: it reads the `#report-data` JSON and draws the two bar charts
 * (`#category-chart`, `#subject-chart`), one colour per model, with 95% interval whiskers drawn by a small plugin.
 *
 * Data shape: `{ models, colors, categories, subjects }`, each chart `{ labels, values, lower, upper }` with one
 * array per model (percent, `null` where missing).
 */
export const reportClientScript = `
(function () {
  'use strict';
  var source = document.getElementById('report-data');
  if (!source || typeof Chart === 'undefined') return;
  var data = JSON.parse(source.textContent);

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#1f2328';

  function format(value) { return value === null || value === undefined ? '-' : value.toFixed(2); }

  var errorBars = {
    id: 'errorBars',
    afterDatasetsDraw: function (chart) {
      var horizontal = chart.options.indexAxis === 'y';
      var scale = horizontal ? chart.scales.x : chart.scales.y;
      var context = chart.ctx;
      context.save();
      context.strokeStyle = '#1f2328';
      context.lineWidth = 1.2;
      chart.data.datasets.forEach(function (dataset, datasetIndex) {
        if (!chart.isDatasetVisible(datasetIndex)) return;
        chart.getDatasetMeta(datasetIndex).data.forEach(function (bar, index) {
          var lower = dataset.lower[index];
          var upper = dataset.upper[index];
          if (lower === null || upper === null || lower === undefined || upper === undefined) return;
          var from = scale.getPixelForValue(lower);
          var to = scale.getPixelForValue(upper);
          var thickness = horizontal ? bar.height : bar.width;
          var cap = Math.max(2, Math.min(6, (thickness || 8) / 3));
          context.beginPath();
          if (horizontal) {
            context.moveTo(from, bar.y); context.lineTo(to, bar.y);
            context.moveTo(from, bar.y - cap); context.lineTo(from, bar.y + cap);
            context.moveTo(to, bar.y - cap); context.lineTo(to, bar.y + cap);
          } else {
            context.moveTo(bar.x, from); context.lineTo(bar.x, to);
            context.moveTo(bar.x - cap, from); context.lineTo(bar.x + cap, from);
            context.moveTo(bar.x - cap, to); context.lineTo(bar.x + cap, to);
          }
          context.stroke();
        });
      });
      context.restore();
    }
  };

  function drawBars(canvas, series, horizontal) {
    if (!canvas || series.labels.length === 0) return;
    var highest = 0;
    series.values.concat(series.upper).forEach(function (column) {
      column.forEach(function (value) { if (value !== null && value > highest) highest = value; });
    });
    var valueAxis = {
      min: 0, max: Math.min(100, Math.ceil((highest + 5) / 10) * 10),
      title: { display: true, text: 'accuracy (%) with 95% interval' },
      grid: { color: '#e5e9ee' }
    };
    var categoryAxis = {
      grid: { display: false },
      ticks: horizontal ? {
        autoSkip: false,
        font: { size: 11 },
        callback: function (value) {
          var label = this.getLabelForValue(value);
          return label.length > 34 ? label.slice(0, 33) + '\\u2026' : label;
        }
      } : { autoSkip: false }
    };
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: series.labels,
        datasets: data.models.map(function (model, index) {
          return {
            label: model,
            data: series.values[index],
            lower: series.lower[index],
            upper: series.upper[index],
            backgroundColor: data.colors[index] + 'cc',
            borderColor: data.colors[index],
            borderWidth: 1,
            categoryPercentage: 0.8,
            barPercentage: 0.9
          };
        })
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        maintainAspectRatio: false,
        animation: false,
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { position: 'top' },
          tooltip: {
            callbacks: {
              label: function (item) {
                var dataset = item.dataset;
                var index = item.dataIndex;
                return dataset.label + ': ' + format(dataset.data[index]) + ' [' + format(dataset.lower[index]) + ', ' + format(dataset.upper[index]) + ']';
              }
            }
          }
        }
      },
      plugins: [errorBars]
    });
  }

  var subjectCanvas = document.getElementById('subject-chart');
  if (subjectCanvas) {
    var rowHeight = Math.max(16, data.models.length * 9 + 8);
    subjectCanvas.parentElement.style.height = (data.subjects.labels.length * rowHeight + 90) + 'px';
  }
  drawBars(document.getElementById('category-chart'), data.categories, false);
  drawBars(subjectCanvas, data.subjects, true);
})();
`;
