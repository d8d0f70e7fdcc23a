// The stand-in's page: linked projects, their proposals and the buttons a person presses
// to walk a sales project alone. Plain forms (they work without JavaScript); the little
// script only reloads the page when something changed and nobody is typing.
import type { Delivery, StandInProject } from './stand-in';

const escape = (text: unknown) =>
  String(text).replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const money = ({ amount, currency }: { amount: number; currency: string }) => `${currency} ${(amount / 100).toFixed(2)}`;

/** A button in a one-button form; `context` is read by screen readers only, so ten "Mark sent" buttons are told apart. */
const action = (path: string, label: string, context: string) =>
  `<form method="post" action="${escape(path)}" class="inline"><button type="submit">${escape(label)}<span class="sr-only"> ${escape(context)}</span></button></form>`;

function project(p: StandInProject, consoleOrigin: string | undefined): string {
  const archived = p.status === 'archived';
  const rows = p.proposals
    .map((proposal) => {
      const name = `${proposal.title} (${p.customerName})`;
      return `<tr>
        <th scope="row">${escape(proposal.title)}<br><small>${escape(proposal.id)}</small></th>
        <td><span class="status status-${escape(proposal.status)}">${escape(proposal.status)}</span></td>
        <td>${escape(money(proposal.price))}</td>
        <td><time datetime="${escape(proposal.updatedAt)}">${escape(proposal.updatedAt.replace('T', ' ').slice(0, 19))}</time></td>
        <td>${
          archived
            ? ''
            : `${action(`/_control/proposals/${proposal.id}/send`, 'Mark sent', name)}
          ${action(`/_control/proposals/${proposal.id}/sign`, 'Mark signed', name)}
          ${action(`/_control/proposals/${proposal.id}/decline`, 'Decline', name)}
          <details><summary>Edit<span class="sr-only"> ${escape(name)}</span></summary>
            <form method="post" action="/_control/proposals/${escape(proposal.id)}">
              <label>Title <input name="title" value="${escape(proposal.title)}" required></label>
              <label>Price (${escape(proposal.price.currency)}) <input name="price" inputmode="decimal" value="${escape((proposal.price.amount / 100).toFixed(2))}" required></label>
              <button type="submit">Save</button>
            </form></details>`
        }</td>
      </tr>`;
    })
    .join('');
  const deposits = p.deposits.map((deposit) => `<li>${escape(money({ amount: deposit.amount, currency: p.proposals.find((x) => x.id === deposit.proposalId)?.price.currency ?? '' }))} for ${escape(deposit.proposalId)}, ${escape(deposit.paidAt)}</li>`).join('');
  return `<section id="${escape(p.id)}" aria-labelledby="h-${escape(p.id)}">
    <h2 id="h-${escape(p.id)}">${escape(p.customerName)} <small>${escape(p.id)}${archived ? ' · archived' : ''}</small></h2>
    <p>${escape(p.siteAddress)} · Fieldflow project ${
      consoleOrigin ? `<a href="${escape(`${consoleOrigin}/projects/${encodeURIComponent(p.externalId)}`)}">${escape(p.externalId)}</a>` : escape(p.externalId)
    }</p>
    ${
      p.proposals.length
        ? `<table><caption class="sr-only">Proposals of ${escape(p.customerName)}</caption>
      <thead><tr><th scope="col">Proposal</th><th scope="col">Status</th><th scope="col">Price</th><th scope="col">Updated</th><th scope="col">Actions</th></tr></thead>
      <tbody>${rows}</tbody></table>`
        : '<p>No proposals yet.</p>'
    }
    ${deposits ? `<h3>Deposits</h3><ul>${deposits}</ul>` : ''}
    ${
      archived
        ? ''
        : `<form method="post" action="/_control/projects/${escape(p.id)}/proposals" class="row">
      <fieldset><legend>Add a proposal</legend>
        <label>Title <input name="title" required></label>
        <label>Price <input name="price" inputmode="decimal" required placeholder="12500.00"></label>
        <label>Currency <input name="currency" value="AUD" size="4" maxlength="3" pattern="[A-Za-z]{3}"></label>
        <button type="submit">Add proposal</button>
      </fieldset></form>
    <form method="post" action="/_control/projects/${escape(p.id)}/deposit" class="row">
      <fieldset><legend>Record a deposit (for the signed proposal)</legend>
        <label>Amount <input name="price" inputmode="decimal" placeholder="10 % of the price"></label>
        <button type="submit">Record deposit</button>
      </fieldset></form>`
    }
  </section>`;
}

export function renderStandInPage({ projects, deliveries, version, message, webhookUrl }: { projects: StandInProject[]; deliveries: Delivery[]; version: number; message?: string; webhookUrl?: string }): string {
  let consoleOrigin: string | undefined;
  try {
    consoleOrigin = webhookUrl ? new URL(webhookUrl).origin : undefined;
  } catch {
    consoleOrigin = undefined;
  }
  const log = deliveries
    .map((d) => {
      const last = d.attempts.at(-1);
      return `<li><code>${escape(d.event.type)}</code> for ${escape(d.event.projectId)}: ${escape(d.status)}${last ? ` (${escape(last.status !== undefined ? `HTTP ${last.status}` : (last.error ?? ''))}, ${d.attempts.length} attempt${d.attempts.length === 1 ? '' : 's'})` : ''}</li>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Design tool stand-in</title>
<style>
  body { font: 16px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem; color: #1a1a1a; }
  section { border-top: 1px solid #bbb; padding: .5rem 0 1rem; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
  th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  small { color: #555; font-weight: normal; }
  .inline { display: inline; }
  button { font: inherit; padding: .25rem .6rem; margin: 0 .25rem .25rem 0; cursor: pointer; }
  button:focus-visible, input:focus-visible, summary:focus-visible, a:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
  fieldset { border: 1px solid #ccc; margin: .5rem 0; } label { margin-right: .75rem; }
  .status { padding: 0 .4rem; border-radius: .25rem; background: #eee; } .status-signed { background: #c8efd4; } .status-sent { background: #dbe7ff; } .status-declined { background: #fbd5d5; }
  [role=status]:not(:empty) { background: #fff6c2; padding: .5rem; border: 1px solid #d9c200; }
  .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); white-space: nowrap; border: 0; }
</style></head>
<body>
<header><h1>Design tool stand-in</h1>
<p>A local stand-in for the design/quote tool (Pylon). Projects appear here when Fieldflow's <code>link_design_project</code> task links them.
Marking a proposal sent or signed, and recording a deposit, sends a signed webhook to ${webhookUrl ? `<code>${escape(webhookUrl)}</code>` : 'Fieldflow (no webhook URL is set yet)'}.</p></header>
<div role="status" aria-live="polite">${message ? escape(message) : ''}</div>
<main>
${projects.length ? projects.map((p) => project(p, consoleOrigin)).join('\n') : '<p>No linked projects yet.</p>'}
<section aria-labelledby="h-deliveries"><h2 id="h-deliveries">Recent webhooks</h2>${log ? `<ul>${log}</ul>` : '<p>None sent yet.</p>'}</section>
</main>
<script>
  // Reload when something changed (a project was linked, a webhook retried), unless a person is busy with a form.
  const seen = ${version};
  setInterval(async () => {
    const busy = document.activeElement && document.activeElement.matches('input, textarea') || document.querySelector('details[open]');
    if (busy) return;
    try {
      const state = await (await fetch('/_state')).json();
      if (state.version !== seen) location.replace(location.pathname + location.hash);
    } catch {}
  }, 2000);
</script>
</body></html>`;
}
