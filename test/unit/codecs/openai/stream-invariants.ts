/** Moved to the shared codec conformance suite; kept so existing imports keep working. */
export { assertStreamInvariants } from '../conformance/stream-invariants';
