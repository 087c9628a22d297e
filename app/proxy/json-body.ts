/**
 * Request bodies are JSON whatever content type the client declared (some agents send none
 * or text/plain). Parsing keeps fastify's body limit and answers invalid JSON with a 400. The
 * model-call lane (model-call-lane.ts) parses its bodies with the same `parseJsonBody`.
 */
import type { FastifyInstance } from 'fastify';

/** A request body as JSON: undefined when it is empty or blank; throws a SyntaxError when it is not JSON. */
export function parseJsonBody(text: string): unknown {
  return text.trim() === '' ? undefined : JSON.parse(text);
}

export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, text, done) => {
    try {
      done(null, parseJsonBody(typeof text === 'string' ? text : text.toString('utf8')));
    } catch (err) {
      const error = err as Error & { statusCode?: number; code?: string };
      error.statusCode = 400;
      error.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(error, undefined);
    }
  });
}
