import { PasskeyDeskError } from '../../shared/errors';
import type { Handlers } from '../../shared/contract';
import type { ImportSummary, MoveOutcome } from '../../shared/contract/stores';
import { toInventoryPasskey } from '../../shared/imports/strip';
import { IMPORT_FORMAT_NAMES } from '../../shared/imports/types';
import type { ParsedImport } from '../../shared/imports/types';
import { withProviderName } from '../../shared/providers';
import type { Journal } from '../journal';
import type { ImportedFilesStore } from '../stores/exports';
import { moveIntoVault, planVaultMove } from '../stores/exports';
import type { DeletionMarks } from '../stores/guided';
import { GUIDED_CARDS, guidedCard, guidedStoreChoices, sectionsFor } from '../stores/guided';
import type { OperationContext } from '../stores/store';
import type { VaultStore } from '../stores/vault/vault-store';
import type { Passkey } from '../../shared/model';

export type StoreHandlers = Pick<
  Handlers,
  | 'stores.deletePasskey'
  | 'imports.pickFile'
  | 'imports.add'
  | 'imports.moveToVault'
  | 'imports.remove'
  | 'guided.cards'
  | 'guided.marks'
  | 'guided.mark'
  | 'guided.unmark'
>;

export interface StoreFeatureDeps {
  vault: VaultStore;
  imports: ImportedFilesStore;
  marks: DeletionMarks;
  journal: Journal;
  platform: NodeJS.Platform;
  deletePasskey(
    storeId: string,
    credentialId: string,
    planId: string | null,
    ctx?: OperationContext,
  ): Promise<{ passkey: Passkey; journalId: string }>;
  pickFile?: () => Promise<string | null>;
}

/** Imports, guided stores and deleting from any store: the handlers behind the `stores.*`, `imports.*`, `guided.*` channels. */
export function storeHandlers(d: StoreFeatureDeps): StoreHandlers {
  const move = async (parsed: ParsedImport, ids: string[], fileName: string): Promise<MoveOutcome[]> => {
    if (ids.length === 0) return [];
    const outcomes = await moveIntoVault(d.vault, planVaultMove(parsed, ids, fileName));
    return outcomes.map((o) =>
      o.ok ? o : { credentialId: o.credentialId, ok: false, code: o.code, message: o.message },
    );
  };
  return {
    'stores.deletePasskey': async (req) => {
      if (req.store === 'vault') return d.deletePasskey('vault', req.credentialId, null);
      return d.deletePasskey(
        req.store,
        req.credentialId,
        null,
        req.pin === undefined ? {} : { pin: req.pin },
      );
    },
    'imports.pickFile': async () => {
      if (!d.pickFile)
        throw new PasskeyDeskError(
          'UNSUPPORTED',
          'Picking a file needs the desktop app; on the command line run `passkey-desk import FILE`.',
        );
      const path = await d.pickFile();
      return path ? { path } : null;
    },
    'imports.add': async (req) => {
      const { record, parsed, alreadyImported } = await d.imports.importFile(req.path);
      const moved = await move(parsed, req.moveToVault ?? [], record.fileName);
      return { summary: summarise(record.id, record.label, record.fileName, parsed, alreadyImported), moved };
    },
    'imports.moveToVault': async (req) => {
      const record = (await d.imports.records()).find((r) => r.id === req.storeId);
      if (!record)
        throw new PasskeyDeskError('NOT_FOUND', `No imported file has the store id "${req.storeId}".`);
      return move(await d.imports.reread(req.storeId), req.credentialIds, record.fileName);
    },
    'imports.remove': async (req) => ({ storeId: (await d.imports.remove(req.storeId)).id }),
    'guided.cards': async () =>
      GUIDED_CARDS.map((c) => ({
        id: c.id,
        label: c.label,
        what: c.what,
        why: c.why,
        sections: sectionsFor(c, d.platform),
      })),
    'guided.marks': async () => d.marks.list(),
    'guided.mark': async (req) => {
      const card = guidedCard(req.store);
      if (!card)
        throw new PasskeyDeskError(
          'INVALID_INPUT',
          `"${req.store}" is not a store Passkey Desk guides you through. Use one of: ${guidedStoreChoices()}.`,
        );
      // Bad input is refused before anything is journaled (a refused mark is not a step that failed).
      d.marks.check({
        store: req.store,
        rpId: req.rpId,
        credentialId: req.credentialId ?? null,
        userHandle: req.userHandle ?? null,
      });
      const what = req.credentialId ? `passkey ${req.credentialId.slice(0, 8)}…` : 'the passkeys';
      return d.journal.record(
        {
          action: 'guided.mark-deleted',
          effect: `Record that you deleted ${what} for ${req.rpId} in ${card.label}; reconciliation will then offer to revoke it on the server.`,
          store: req.store,
          credentialId: req.credentialId ?? null,
          accountId: null,
          snapshot: { rpId: req.rpId, userHandle: req.userHandle ?? null },
          undo: null,
          planId: null,
        },
        () =>
          d.marks.record({
            store: req.store,
            rpId: req.rpId,
            credentialId: req.credentialId ?? null,
            userHandle: req.userHandle ?? null,
          }),
      );
    },
    // Withdrawing a mark is journaled too, so the activity list shows the mark's whole story.
    'guided.unmark': async (req) => {
      const mark = (await d.marks.list()).find((m) => m.id === req.id);
      if (!mark) return d.marks.remove(req.id); // NOT_FOUND, worded by the marks
      const card = guidedCard(mark.store);
      const what = mark.credentialId ? `passkey ${mark.credentialId.slice(0, 8)}…` : 'the passkeys';
      return d.journal.record(
        {
          action: 'guided.unmark',
          effect: `Withdraw the mark that ${what} for ${mark.rpId} ${mark.credentialId ? 'was' : 'were'} deleted in ${card?.label ?? mark.store}; reconciliation no longer offers to revoke ${mark.credentialId ? 'it' : 'them'} for that reason.`,
          store: mark.store,
          credentialId: mark.credentialId,
          accountId: null,
          snapshot: {
            markId: mark.id,
            rpId: mark.rpId,
            userHandle: mark.userHandle,
            markedAt: mark.markedAt,
          },
          undo: null,
          planId: null,
        },
        () => d.marks.remove(req.id),
      );
    },
  };
}

function summarise(
  storeId: string,
  label: string,
  fileName: string,
  parsed: ParsedImport,
  alreadyImported: boolean,
): ImportSummary {
  const movable: string[] = [];
  const notMovable: ImportSummary['notMovable'] = [];
  for (const p of parsed.passkeys) {
    if (p.privateKey?.algorithm === -7 && p.userHandle) movable.push(p.credentialId);
    else notMovable.push({ credentialId: p.credentialId, reason: notMovableReason(p) });
  }
  return {
    storeId,
    label,
    format: IMPORT_FORMAT_NAMES[parsed.format],
    fileName,
    count: parsed.passkeys.length,
    alreadyImported,
    movable,
    notMovable,
    passkeys: parsed.passkeys.map((p) => withProviderName(toInventoryPasskey(p))),
  };
}

function notMovableReason(p: ParsedImport['passkeys'][number]): string {
  if (p.keyProblem) return p.keyProblem;
  if (!p.privateKey) return 'the file holds no private key for it';
  if (p.privateKey.algorithm !== -7) return 'the vault signs with ES256 (P-256) only';
  return 'the file gives no user handle, which the site needs to recognise the account';
}
