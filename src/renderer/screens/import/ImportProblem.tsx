import type { ErrorInfo } from '../../../shared/errors';
import { ErrorNotice } from '../../ui/ErrorNotice';

interface Problem {
  path: string;
  message: string;
}

/** `details.problems` of IMPORT_INVALID, kept only when each entry has the shape main sends. */
function problemsOf(error: ErrorInfo): Problem[] {
  const raw = error.details?.problems;
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (p): p is Problem =>
      typeof p === 'object' &&
      p !== null &&
      typeof (p as Problem).path === 'string' &&
      typeof (p as Problem).message === 'string',
  );
}

/** What to do about a file that could not be imported, by error code; other codes get the general notice. */
function nextSteps(error: ErrorInfo): string[] {
  switch (error.code) {
    case 'IMPORT_ENCRYPTED':
      return [
        'Passkey Desk reads only unencrypted exports: it never asks for your password manager’s password.',
        'Export again without encryption (in Bitwarden: File → Export vault → “.json”, not “.json (Encrypted)”), save it in a private folder, import it, then delete it.',
      ];
    case 'IMPORT_INVALID':
      return [
        'Nothing was imported. Check that this is a Bitwarden JSON, KeePassXC .passkey or FIDO CXF export, and export it again if it was edited or cut short.',
      ];
    case 'IMPORT_TOO_LARGE':
      return [
        'An export of passkeys is small; a file this large is probably not one. Check that you chose the right file, or export only the items with passkeys.',
      ];
    default:
      return [];
  }
}

export function ImportProblem({ error, source }: { error: ErrorInfo; source: string }) {
  const problems = problemsOf(error);
  const steps = nextSteps(error);
  return (
    <section className="import-problem" aria-label={`Could not import ${source}`}>
      <ErrorNotice error={error} />
      {problems.length > 0 && (
        <div className="import-problems">
          <h3>What is wrong in the file</h3>
          <ul aria-label="Problems in the file">
            {problems.map((p, i) => (
              <li key={i}>
                <code className="mono">{p.path}</code>: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {steps.length > 0 && (
        <div className="import-next">
          <h3>What to do</h3>
          {steps.map((s) => (
            <p key={s}>{s}</p>
          ))}
        </div>
      )}
    </section>
  );
}
