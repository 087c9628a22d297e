/**
 * The translating floor: a bare node:http server that does only what any translating proxy
 * must per request: read the body, JSON.parse, the real codecs (Anthropic -> IR -> OpenAI and
 * back, streams through eventsource-parser), JSON.stringify, one keep-alive upstream call. No
 * log, stats, guard, pacing or timeouts. Usage: node --import tsx floor-main.ts <upstream origin>.
 */
import { Agent, createServer, request } from 'node:http';
import { createParser } from 'eventsource-parser';
import { anthropicCodec } from '../../app/codecs/anthropic';
import { openaiCodec } from '../../app/codecs/openai';
import type { TranslationContext } from '../../app/codecs/codec';
import { ToolNameMap } from '../../app/translate/tool-names';

const upstream = new URL(process.argv[2] ?? '');
const agent = new Agent({ keepAlive: true });

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (raw += c));
  req.on('end', () => {
    const ir = anthropicCodec.decodeRequest(JSON.parse(raw));
    const ctx: TranslationContext = { toolNames: ToolNameMap.fromTools(ir.tools), requestedModel: ir.model };
    const body = JSON.stringify(openaiCodec.encodeRequest(ir, { model: 'fake-model' }, ctx));
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: 'POST', path: '/v1/chat/completions', agent,
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench-upstream-key', 'content-length': Buffer.byteLength(body) } },
      (up) => {
        up.setEncoding('utf8');
        if (!ir.stream) {
          let text = '';
          up.on('data', (c: string) => (text += c));
          up.on('end', () => {
            const answer = JSON.stringify(anthropicCodec.encodeResponse(openaiCodec.decodeResponse(JSON.parse(text), ctx), ctx));
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(answer);
          });
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const decoder = openaiCodec.createStreamDecoder(ctx);
        const encoder = anthropicCodec.createStreamEncoder(ctx);
        const parser = createParser({ onEvent: (m) => { for (const e of decoder.push({ data: m.data })) res.write(encoder.encode(e)); } });
        up.on('data', (c: string) => parser.feed(c));
        up.on('end', () => {
          for (const e of decoder.end()) res.write(encoder.encode(e));
          res.end();
        });
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`floor listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
});
const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  agent.destroy();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
