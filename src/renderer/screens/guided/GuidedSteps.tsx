import type { GuidedCardView } from '../../../shared/contract/stores';
import { api } from '../../api';
import { useToasts } from '../../shell/toasts';

type Section = GuidedCardView['sections'][number];

/** One platform's steps for a guided store: where they apply, the steps, and the deep link or how to get there. */
export function GuidedSteps({ section, storeLabel }: { section: Section; storeLabel: string }) {
  const toasts = useToasts();
  const link = section.link;
  const open = async (url: string) => {
    const result = await api().links.open({ url });
    if (!result.ok) toasts.showError(result.error);
  };
  return (
    <div className="manage guided-steps">
      <p className="manage-lead">{section.where}</p>
      <ol className="manage-steps" aria-label={`How to manage passkeys in ${storeLabel}: ${section.where}`}>
        {section.steps.map((step, i) => (
          <li key={i}>{step}</li>
        ))}
      </ol>
      {link ? (
        <button
          type="button"
          className="button button-small"
          aria-label={`Open the passkeys page for ${section.where}`}
          onClick={() => void open(link)}
        >
          Open the passkeys page
        </button>
      ) : (
        section.linkNote && <p className="guided-link-note">{section.linkNote}</p>
      )}
    </div>
  );
}
