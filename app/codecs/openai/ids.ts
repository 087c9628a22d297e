/** Ids Patchbay makes up when a format needs one the other side did not give. */
import { randomBytes } from 'node:crypto';

export function newCompletionId(): string {
  return 'chatcmpl-' + randomBytes(12).toString('hex');
}

/** A `chatcmpl-` id for a response, derived from the IR id so it is stable within the response. */
export function completionIdFor(irId: string): string {
  if (irId === '') return newCompletionId();
  return irId.startsWith('chatcmpl-') ? irId : `chatcmpl-${irId}`;
}

/** Tool-call id for a call the backend gave none (n = position of the call in the response). */
export function generatedCallId(n: number): string {
  return `call_${n}`;
}
