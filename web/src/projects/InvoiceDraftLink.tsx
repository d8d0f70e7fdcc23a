// The invoice draft as a PDF: fetched with the token and saved, like the work orders.
import { useApi } from '../auth/session';
import { ActionError, useAction } from '../jobs/useAction';

export function InvoiceDraftLink({ projectId }: { projectId: string }) {
  const api = useApi();
  const action = useAction();
  const download = () =>
    void action.run('invoice', null, async () => {
      const url = URL.createObjectURL(await api.blob(`/projects/${encodeURIComponent(projectId)}/invoice-draft.pdf`));
      const link = document.createElement('a');
      link.href = url;
      link.download = `invoice-draft-${projectId}.pdf`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return true;
    });
  return (
    <div className="invoice-draft">
      <button type="button" className="button button--small" disabled={Boolean(action.busy)} onClick={download}>
        Invoice draft (PDF)
      </button>
      <ActionError action={action} name="invoice" />
    </div>
  );
}
