// Starts `grokpulse sim` and `grokpulse gateway` as child processes on free loopback ports.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.GROKPULSE_BIN;
if (!BIN) throw new Error('GROKPULSE_BIN must name the grokpulse executable');

export const UPSTREAM_KEY = 'upstream-key-never-seen-by-clients';

function waitForListening(child, name, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${err}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on https?:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${err}`));
    });
  });
}

// A running simulator (scenario object) with a gateway in front of it.
// With { tls: { cert, key } } the gateway serves HTTPS and the URLs say so.
export async function startStack(scenario, gatewayArgs = [], { tls } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gp-gateway-'));
  const scenarioPath = join(dir, 'scenario.json');
  writeFileSync(scenarioPath, JSON.stringify(scenario));
  const env = { ...process.env, GP_UPSTREAM_KEY: UPSTREAM_KEY };
  const sim = spawn(BIN, ['sim', '--port', '0', '--scenario', scenarioPath, '--api-key-env', 'GP_UPSTREAM_KEY'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const simPort = await waitForListening(sim, 'sim');
  const tokenFile = join(dir, 'token');
  const gateway = spawn(BIN, ['gateway', '--listen', '127.0.0.1:0', '--upstream', `http://127.0.0.1:${simPort}/v1`,
    '--api-key-env', 'GP_UPSTREAM_KEY', '--token-file', tokenFile, '--quiet', '--no-keychain',
    ...(tls ? ['--tls-cert', tls.cert, '--tls-key', tls.key] : []), ...gatewayArgs],
  { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const gatewayPort = await waitForListening(gateway, 'gateway');
  const token = readFileSync(tokenFile, 'utf8').trim();
  const stop = () => {
    for (const child of [gateway, sim]) {
      child.removeAllListeners('exit');
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  };
  return {
    simUrl: `http://127.0.0.1:${simPort}`,
    baseURL: `${tls ? 'https' : 'http'}://127.0.0.1:${gatewayPort}/v1`,
    gatewayUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${gatewayPort}`,
    token,
    stop,
    async simStats() { return (await fetch(`http://127.0.0.1:${simPort}/sim/stats`)).json(); },
    async health() {
      return (await fetch(`http://127.0.0.1:${gatewayPort}/healthz`, { headers: { authorization: `Bearer ${token}` } })).json();
    },
  };
}

export function quietScenario(extra = {}) {
  return {
    name: 'gateway-test',
    headers: 'none',
    retry_after: 'none',
    retry_after_ms: false,
    limits: { requests_per_second: 1000, burst: 1000 },
    completion: { words: 12, chunk_interval_ms: 2 },
    ...extra,
  };
}
