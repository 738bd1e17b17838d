// The openai SDK against grokpulse gateway over TLS (--tls-cert/--tls-key), with a self-signed
// certificate made by the openssl CLI: trusted through NODE_EXTRA_CA_CERTS it works, chat and
// streaming; without it the SDK refuses the connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack, quietScenario } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function selfSigned() {
  const dir = mkdtempSync(join(tmpdir(), 'gp-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '2', '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { cert, key };
}

function sdkCall(baseURL, token, extraEnv) {
  const env = { ...process.env, ...extraEnv };
  const out = execFileSync(process.execPath, [join(here, 'sdkcall.mjs'), baseURL, token], { env, encoding: 'utf8' });
  return JSON.parse(out.trim());
}

test('the SDK over TLS: chat and stream with the CA trusted, refused without it', async () => {
  const tls = selfSigned();
  const stack = await startStack(quietScenario(), [], { tls });
  try {
    assert.match(stack.baseURL, /^https:\/\/127\.0\.0\.1:\d+\/v1$/);
    const trusted = sdkCall(stack.baseURL, stack.token, { NODE_EXTRA_CA_CERTS: tls.cert });
    assert.equal(trusted.ok, true, JSON.stringify(trusted));
    assert.ok(trusted.content.length > 0);
    assert.ok(trusted.streamed.length > 0);
    const untrusted = sdkCall(stack.baseURL, stack.token, { NODE_EXTRA_CA_CERTS: '' });
    assert.equal(untrusted.ok, false);
    assert.equal(untrusted.name, 'APIConnectionError', JSON.stringify(untrusted));
  } finally {
    stack.stop();
  }
});
