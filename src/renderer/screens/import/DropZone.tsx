import { useEffect, useState } from 'react';
import type { DragEvent } from 'react';
import { api } from '../../api';

interface DropZoneProps {
  busy: boolean;
  /** A result is shown below: keep the zone to one line. */
  compact: boolean;
  onPath: (path: string) => void;
  /** A drop that has no usable file: nothing dropped, several files, or a file that is not on disk. */
  onRefused: (message: string) => void;
  onChoose: () => void;
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

/**
 * Where an export is dropped, or chosen with the OS file dialog. A dropped file is turned into its path
 * (passkeyDesk.pathForFile) and nothing else: the page never reads the file, which holds private keys.
 */
export function DropZone({ busy, compact, onPath, onRefused, onChoose }: DropZoneProps) {
  const [over, setOver] = useState(false);

  // A file dropped beside the zone must not make the window navigate to it (file:// would leave the app).
  useEffect(() => {
    const block = (e: Event) => e.preventDefault();
    window.addEventListener('dragover', block);
    window.addEventListener('drop', block);
    return () => {
      window.removeEventListener('dragover', block);
      window.removeEventListener('drop', block);
    };
  }, []);

  const drop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length !== 1) {
      onRefused(
        files.length === 0
          ? 'Nothing to import was dropped: drop one export file.'
          : `${files.length} files were dropped: drop one export file at a time.`,
      );
      return;
    }
    const [file] = files;
    const path = file ? api().pathForFile(file) : null;
    if (!path || !file) {
      onRefused(
        `“${file?.name ?? 'The item'}” is not a file on this computer: drop the export from a folder, or choose it with the button.`,
      );
      return;
    }
    onPath(path);
  };

  return (
    <div
      className={['drop-zone', over ? 'is-over' : '', compact ? 'is-compact' : ''].filter(Boolean).join(' ')}
      data-testid="drop-zone"
      onDragEnter={(e) => {
        if (hasFiles(e)) setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <p className="drop-zone-title">
        {compact ? 'Drop another export here, or' : 'Drop an export file here'}
      </p>
      <p className={compact ? 'visually-hidden' : 'subtle'}>
        Bitwarden (.json, unencrypted), KeePassXC (.passkey) or FIDO Credential Exchange (.json). The file is
        read where it is; it is not copied.
      </p>
      <button type="button" className="button button-primary" disabled={busy} onClick={onChoose}>
        Choose a file…
      </button>
    </div>
  );
}
