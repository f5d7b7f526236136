import { useCallback, useRef, useState } from 'react';
import type { DoctorRun, MessageKey } from '../../../shared/doctor';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../../api';

export interface RunRequest {
  accountId: string | null;
  message: MessageKey | null;
}

export interface RunState {
  /** The last finished run (kept on screen while the checks run again after a fix). */
  run: DoctorRun | null;
  running: boolean;
  error: ErrorInfo | null;
}

/** Runs the checks; only the answer to the newest request is shown. */
export function useDoctorRun() {
  const [state, setState] = useState<RunState>({ run: null, running: false, error: null });
  const generation = useRef(0);
  const last = useRef<RunRequest | null>(null);

  const start = useCallback(async (request: RunRequest) => {
    const mine = ++generation.current;
    last.current = request;
    setState((s) => ({ ...s, running: true, error: null }));
    const result = await api().doctor.run({
      ...(request.accountId ? { accountId: request.accountId } : {}),
      ...(request.message ? { message: request.message } : {}),
    });
    if (mine !== generation.current) return;
    setState((s) =>
      result.ok
        ? { run: result.value, running: false, error: null }
        : { run: s.run, running: false, error: result.error },
    );
  }, []);

  /** The same checks again, after a fix ran. */
  const again = useCallback(() => {
    if (last.current) void start(last.current);
  }, [start]);

  return { ...state, start, again };
}
