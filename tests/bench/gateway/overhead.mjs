// Gateway overhead: one request at a time, alternating between the simulator directly and the
// gateway in front of it (so load on the machine hits both alike). openai SDK, maxRetries 0.
import OpenAI from 'openai';

const [directURL, directKey, gatewayURL, gatewayKey, total] = process.argv.slice(2);
const direct = new OpenAI({ baseURL: directURL, apiKey: directKey, maxRetries: 0 });
const gateway = new OpenAI({ baseURL: gatewayURL, apiKey: gatewayKey, maxRetries: 0 });
const lat = { direct: [], gateway: [] };
let failed = 0;
const ask = async (client, into) => {
  const t0 = performance.now();
  try {
    await client.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: 'hi' }] });
    into.push(performance.now() - t0);
  } catch {
    failed += 1;
  }
};
for (let i = 0; i < 20; i++) { await ask(direct, []); await ask(gateway, []); } // warm-up
for (let i = 0; i < Number(total); i++) {
  if (i % 2) { await ask(direct, lat.direct); await ask(gateway, lat.gateway); }
  else { await ask(gateway, lat.gateway); await ask(direct, lat.direct); }
}
const q = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
process.stdout.write(JSON.stringify({ failed, ok: lat.gateway.length, dp50: q(lat.direct, 0.5), dp99: q(lat.direct, 0.99),
  gp50: q(lat.gateway, 0.5), gp99: q(lat.gateway, 0.99) }) + '\n');
