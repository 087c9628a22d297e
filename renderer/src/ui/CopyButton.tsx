/** A button that copies a text and says "Copied" for a moment (or why it could not). */
import { useEffect, useRef, useState } from 'react';

export async function copyText(text: string): Promise<void> {
  if (!navigator.clipboard) throw new Error('the clipboard is not available here');
  await navigator.clipboard.writeText(text);
}

interface Props {
  text: string | (() => Promise<string> | string);
  label?: string;
  className?: string;
  /** Names what is copied, for screen readers ("Copy Claude Code env"). */
  ariaLabel?: string;
}

export function CopyButton({ text, label = 'Copy', className = 'btn btn-small', ariaLabel }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [reason, setReason] = useState<string | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onClick = async () => {
    clearTimeout(timer.current);
    try {
      await copyText(typeof text === 'string' ? text : await text());
      setState('copied');
      setReason(undefined);
    } catch (error) {
      setState('failed');
      setReason(error instanceof Error ? error.message : String(error));
    }
    timer.current = setTimeout(() => setState('idle'), 1600);
  };

  return (
    <button type="button" className={className} onClick={() => void onClick()} aria-label={ariaLabel} title={reason}>
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}</span>
    </button>
  );
}
