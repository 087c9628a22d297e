import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, Redactor, redactHeaders, redactSecrets } from '../../../app/log/redact';

const ANTHROPIC_KEY = 'sk-ant-api03-AbCdEf0123456789_xyzXYZ-9876543210abcdef';
const OPENAI_KEY = 'sk-proj-Zx8Qw7Er6Ty5Ui4Op3As2Df1Gh0Jk';
const NVIDIA_KEY = 'nvapi-Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXc';

test('each provider key shape is redacted wherever it appears', () => {
  for (const key of [ANTHROPIC_KEY, OPENAI_KEY, NVIDIA_KEY]) {
    const out = redactSecrets(`{"note":"my key is ${key}, keep it safe"}`);
    assert.ok(!out.includes(key), out);
    assert.ok(!out.includes(key.slice(8, 20)), `no fragment left: ${out}`);
    assert.equal(out, `{"note":"my key is ${REDACTED}, keep it safe"}`);
  }
});

test('Bearer credentials keep the scheme, lose the token', () => {
  assert.equal(redactSecrets('Authorization: Bearer abc.DEF-123_456~xyz=='), `Authorization: Bearer ${REDACTED}`);
  assert.equal(redactSecrets('authorization: bearer eyJhbGciOi.J9x'), `authorization: bearer ${REDACTED}`);
});

test('x-api-key values are redacted in header text and in JSON', () => {
  assert.equal(redactSecrets('x-api-key: plainvalue1234'), `x-api-key: ${REDACTED}`);
  assert.equal(redactSecrets('{"X-Api-Key":"plainvalue1234","a":1}'), `{"X-Api-Key":"${REDACTED}","a":1}`);
  // Escaped JSON inside a JSON string (a logged body quoting headers).
  assert.equal(redactSecrets('"{\\"x-api-key\\":\\"plainvalue1234\\"}"'), `"{\\"x-api-key\\":\\"${REDACTED}\\"}"`);
});

test('long random values after key/token/secret names are redacted; ordinary values are not', () => {
  const value = 'q8F3kZ0pL7sV2nX9wR4tY6uB1mC5hJ';
  for (const name of ['api_key', 'access_token', 'client_secret', 'apiKey', 'password']) {
    assert.equal(redactSecrets(`{"${name}": "${value}"}`), `{"${name}": "${REDACTED}"}`, name);
    assert.equal(redactSecrets(`${name}=${value}&x=1`), `${name}=${REDACTED}&x=1`, name);
  }
  const ordinary = '{"max_tokens":32000,"input_tokens":123,"tokenizer":"sentencepiece-multilingual-model","key":"value"}';
  assert.equal(redactSecrets(ordinary), ordinary);
});

test('known secrets are replaced wherever they appear, even without a recognisable shape', () => {
  const token = 'plain-admin-token-without-shape';
  const redactor = new Redactor([token, 'short']);
  const text = `{"system":"the token is ${token}.","again":"${token}${token}","short":"short"}`;
  const out = redactor.redact(text);
  assert.ok(!out.includes(token));
  assert.equal(out, `{"system":"the token is ${REDACTED}.","again":"${REDACTED}${REDACTED}","short":"short"}`);
  // Regex metacharacters in a secret are matched literally.
  assert.equal(new Redactor(['a.b*c+d?e(f)']).redact('xa.b*c+d?e(f)y'), `x${REDACTED}y`);
  assert.equal(new Redactor(['a.b*c+d?e(f)']).redact('xaXbbbcdde(f)y'), 'xaXbbbcdde(f)y');
  redactor.setKnownSecrets([]);
  assert.ok(redactor.redact(text).includes(token));
});

test('redactHeaders blanks credential headers and redacts others', () => {
  const out = redactHeaders({
    authorization: 'Bearer whatever-123456',
    'x-api-key': 'k',
    'user-agent': `claude-cli/2.1 ${OPENAI_KEY}`,
    accept: undefined,
  });
  assert.deepEqual(out, { authorization: REDACTED, 'x-api-key': REDACTED, 'user-agent': `claude-cli/2.1 ${REDACTED}` });
});
