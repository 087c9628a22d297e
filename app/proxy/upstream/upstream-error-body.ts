/** Reads an upstream error response (bounded) and decodes it with the backend's codec. */
import type { WireCodec } from '../../codecs/codec';
import type { ApiError } from '../../ir/errors';
import { redactSecrets } from '../secrets';
import type { UpstreamResponse } from './upstream-client';

const MAX_ERROR_BODY = 1024 * 1024;

export interface UpstreamErrorBody {
  /** The raw body, scrubbed of the key. */
  text: string;
  error: ApiError;
}

export async function readUpstreamError(
  response: UpstreamResponse,
  backendCodec: WireCodec,
  key: string | undefined,
): Promise<UpstreamErrorBody> {
  let text = '';
  try {
    for await (const chunk of response.body) {
      text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
      if (text.length > MAX_ERROR_BODY) break;
    }
  } catch {
    // a truncated error body still says something
  }
  response.body.destroy();
  text = redactSecrets(text, [key]);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the raw text
  }
  const error = backendCodec.decodeError(response.statusCode, parsed, response.headers);
  return { text, error: { ...error, message: redactSecrets(error.message, [key]) } };
}
