/**
 * Ids Patchbay mints for Responses clients, shaped like OpenAI's: `resp_`, `msg_`, `rs_`, `fc_`
 * + 48 base62 characters, fresh for every response and item (never the upstream's).
 */
export { newResponsesId } from '../minted-ids';

export type ResponsesIdPrefix = 'resp' | 'msg' | 'rs' | 'fc';
