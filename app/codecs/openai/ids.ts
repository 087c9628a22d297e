/** Ids Patchbay makes up when a format needs one the other side did not give. */
export { newCompletionId } from '../minted-ids';

/** Tool-call id for a call the backend gave none (n = position of the call in the response). */
export function generatedCallId(n: number): string {
  return `call_${n}`;
}
