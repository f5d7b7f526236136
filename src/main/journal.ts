import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ErrorInfo } from '../shared/errors';
import { toErrorInfo } from '../shared/errors';
import type { JournalEntry, JournalStepInput } from '../shared/journal';
import { appendLineDurable } from './fs/atomic';
import { readDataFile } from './fs/errors';

type Line =
  | { t: 'begin'; id: string; at: string; step: JournalStepInput }
  | { t: 'end'; id: string; at: string; outcome: 'done' | 'failed'; error?: ErrorInfo }
  | { t: 'undo'; id: string; at: string; undoneBy: string };

/**
 * The append-only journal of destructive steps. A step's `begin` line (with a metadata snapshot of what it
 * will destroy) is fsynced before the step runs; its outcome is appended after. A crash in between leaves a
 * begin without an end: the next start shows it and the caller decides (verify state, then finish or abandon).
 */
export class Journal {
  readonly path: string;
  constructor(
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.path = join(dataDir, 'journal.jsonl');
  }

  async begin(step: JournalStepInput): Promise<string> {
    const id = randomUUID();
    await this.append({ t: 'begin', id, at: this.now().toISOString(), step });
    return id;
  }

  async end(id: string, outcome: 'done' | 'failed', error?: ErrorInfo): Promise<void> {
    const line: Line = error
      ? { t: 'end', id, at: this.now().toISOString(), outcome, error }
      : { t: 'end', id, at: this.now().toISOString(), outcome };
    await this.append(line);
  }

  async markUndone(id: string, undoneBy: string): Promise<void> {
    await this.append({ t: 'undo', id, at: this.now().toISOString(), undoneBy });
  }

  /**
   * Journals `step`, runs `fn` with the step's journal id, journals the outcome. The step never runs unless its
   * begin line is on disk.
   */
  async record<T>(step: JournalStepInput, fn: (journalId: string) => Promise<T>): Promise<T> {
    const id = await this.begin(step);
    try {
      const value = await fn(id);
      await this.end(id, 'done');
      return value;
    } catch (e) {
      await this.end(id, 'failed', toErrorInfo(e));
      throw e;
    }
  }

  /** All steps, newest first, with their outcome (`pending` when the process died before the end line). */
  async entries(): Promise<JournalEntry[]> {
    const text = await readDataFile(this.path);
    if (text === null) return [];
    const byId = new Map<string, JournalEntry>();
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // a torn last line from a crash mid-append: the step it began never ran
      }
      if (line.t === 'begin') {
        byId.set(line.id, {
          id: line.id,
          startedAt: line.at,
          endedAt: null,
          outcome: 'pending',
          error: null,
          undoneBy: null,
          ...line.step,
        });
      } else {
        const entry = byId.get(line.id);
        if (!entry) continue;
        if (line.t === 'end') {
          entry.outcome = line.outcome;
          entry.endedAt = line.at;
          entry.error = line.error ?? null;
        } else {
          entry.undoneBy = line.undoneBy;
        }
      }
    }
    return [...byId.values()].reverse();
  }

  async pending(): Promise<JournalEntry[]> {
    return (await this.entries()).filter((e) => e.outcome === 'pending');
  }

  private async append(line: Line): Promise<void> {
    await appendLineDurable(this.path, JSON.stringify(line));
  }
}
