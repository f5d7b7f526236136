import { useId } from 'react';
import type { DoctorMessage, MessageKey } from '../../../shared/doctor';
import { messageLabel } from './labels';

interface AskFormProps {
  messages: readonly DoctorMessage[];
  message: MessageKey | null;
  onMessage: (message: MessageKey | null) => void;
  /** Whether an account is picked (some messages are checked against its passkeys). */
  hasAccount: boolean;
  running: boolean;
  onRun: () => void;
  /** Opens the new-device flow (the fix for "I got a new device" is a flow, not a finding). */
  onNewDevice: () => void;
}

/** "What did you see?": the messages with the exact wording users meet, then the button that runs the checks. */
export function AskForm(props: AskFormProps) {
  const { messages, message, onMessage, hasAccount, running, onRun, onNewDevice } = props;
  const picked = messages.find((m) => m.key === message) ?? null;
  return (
    <form
      className="doctor-ask"
      aria-label="What went wrong"
      onSubmit={(e) => {
        e.preventDefault();
        onRun();
      }}
    >
      <fieldset className="doctor-messages">
        <legend className="label">The message you saw</legend>
        {messages.map((m) => (
          <MessageOption key={m.key} message={m} checked={m.key === message} onPick={onMessage} />
        ))}
        <label className="doctor-message">
          <input
            type="radio"
            name="doctor-message"
            checked={message === null}
            onChange={() => onMessage(null)}
          />
          <span className="doctor-message-text">
            <span className="doctor-message-wording">None of these, or not sure</span>
            <span className="subtle">Every check weighs the same.</span>
          </span>
        </label>
      </fieldset>
      {picked?.needsAccount && !hasAccount && (
        <p className="notice notice-warn" role="note">
          This message is checked against an account's passkeys: pick the account above, or only this computer
          is checked.
        </p>
      )}
      {message === 'new-device' && (
        <p className="doctor-ask-actions">
          <span>Setting up a new device? Add its passkey first, then remove the old ones.</span>
          <button type="button" className="button button-small" onClick={onNewDevice}>
            Start: I got a new device
          </button>
        </p>
      )}
      <div className="doctor-ask-actions">
        <button type="submit" className="button button-primary" disabled={running}>
          {running ? 'Checking…' : 'Run the checks'}
        </button>
        <span className="subtle">Reads only: nothing is changed until you confirm a fix.</span>
      </div>
    </form>
  );
}

function MessageOption({
  message,
  checked,
  onPick,
}: {
  message: DoctorMessage;
  checked: boolean;
  onPick: (key: MessageKey) => void;
}) {
  const detailId = useId();
  const others = message.wordings.slice(1);
  return (
    <label className="doctor-message">
      <input
        type="radio"
        name="doctor-message"
        value={message.key}
        checked={checked}
        aria-describedby={detailId}
        onChange={() => onPick(message.key)}
      />
      <span className="doctor-message-text">
        <span className="doctor-message-wording">{messageLabel(message)}</span>
        <span id={detailId} className="subtle">
          {others.length > 0 && <>Also: {others.map((w) => `"${w}"`).join(', ')}. </>}
          Where: {message.where}.
        </span>
      </span>
    </label>
  );
}
