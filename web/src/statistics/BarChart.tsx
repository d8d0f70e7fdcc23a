// A bar chart (chart.js through react-chartjs-2) with its numbers as a table beside it:
// the canvas is an image named by its summary, and the table is what screen readers,
// keyboard users and anyone who wants the exact figures read.
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

/** Colours with at least 3:1 contrast on white; a second series is told apart by its legend and table too. */
const COLOURS = ['#1d4ed8', '#b45309'];

export interface Series {
  label: string;
  values: number[];
}

interface Props {
  id: string;
  title: string;
  /** One sentence for the canvas's accessible name. */
  summary: string;
  labels: string[];
  series: Series[];
  /** The column heading of the labels in the table. */
  labelHeading: string;
  /** How a value reads in the table. */
  format?: (value: number) => string;
  yTitle?: string;
  integers?: boolean;
}

export function BarChart({ id, title, summary, labels, series, labelHeading, format = String, yTitle, integers }: Props) {
  const reducedMotion = typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  return (
    <section className="card chart-card" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <h2 id={`${id}-title`} className="card__title">
        {title}
      </h2>
      <div className="chart-card__canvas">
        <Bar
          role="img"
          aria-label={summary}
          data={{ labels, datasets: series.map((one, index) => ({ label: one.label, data: one.values, backgroundColor: COLOURS[index % COLOURS.length], borderRadius: 3 })) }}
          options={{
            responsive: true,
            maintainAspectRatio: false,
            animation: reducedMotion ? false : { duration: 300 },
            plugins: { legend: { display: series.length > 1 }, tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(Number(item.raw))}` } } },
            scales: {
              x: { ticks: { autoSkip: true, maxRotation: 45 } },
              y: { beginAtZero: true, ...(integers ? { ticks: { precision: 0 } } : {}), ...(yTitle ? { title: { display: true, text: yTitle } } : {}) },
            },
          }}
          fallbackContent={<p>{summary}</p>}
        />
      </div>
      <details className="chart-card__table">
        <summary>Show the numbers</summary>
        <div className="table-wrap">
          <table className="table" data-testid={`table-${id}`}>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{labelHeading}</th>
                {series.map((one) => (
                  <th key={one.label} scope="col" className="numeric">
                    {one.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((label, row) => (
                <tr key={`${label}-${row}`}>
                  <th scope="row">{label}</th>
                  {series.map((one) => (
                    <td key={one.label} className="numeric">
                      {format(one.values[row] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
