import type { ManualSteps } from '../../../shared/model';
import { api } from '../../api';
import { useToasts } from '../../shell/toasts';

/** A store's own steps for managing its passkeys, and its deep link (opened by the shell's allow-list). */
export function ManageSteps({ manage, storeLabel }: { manage: ManualSteps; storeLabel: string }) {
  const toasts = useToasts();
  const link = manage.link;
  // Guided stores start with where the steps apply ("Mac, macOS 15 or later:"); show it as a lead-in.
  const [first, ...rest] = manage.steps;
  const lead = first?.endsWith(':') ? first : null;
  const steps = lead ? rest : manage.steps;
  const open = async (url: string) => {
    const result = await api().links.open({ url });
    if (!result.ok) toasts.showError(result.error);
  };
  return (
    <div className="manage">
      {lead && <p className="manage-lead">{lead}</p>}
      {steps.length > 0 && (
        <ol className="manage-steps" aria-label={`How to manage passkeys in ${storeLabel}`}>
          {steps.map((step, i) => (
            <li key={i}>{step}</li>
          ))}
        </ol>
      )}
      {link && (
        <button type="button" className="button button-small" onClick={() => void open(link)}>
          Open {storeLabel} settings
        </button>
      )}
    </div>
  );
}
