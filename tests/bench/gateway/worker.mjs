// One benchmark client process: the official openai SDK, maxRetries 0, N requests with C in
// flight. Prints one JSON line: successes, failures (with messages), per-request latencies.
import OpenAI from 'openai';

const [baseURL, apiKey, total, concurrency, label] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 120000,
  defaultHeaders: { 'x-grokpulse-client': label } });
const n = Number(total);
let next = 0;
const latencies = [];
const failures = [];
const start = performance.now();
async function lane() {
  while (next < n) {
    const i = next++;
    const t0 = performance.now();
    try {
      await client.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: `${label} ${i}` }] });
      latencies.push(performance.now() - t0);
    } catch (e) {
      failures.push(`${e.status ?? ''} ${e.message}`.slice(0, 200));
    }
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, lane));
process.stdout.write(JSON.stringify({ label, ok: latencies.length, failed: failures.length,
  failures: failures.slice(0, 5), wallMs: performance.now() - start, latencies }) + '\n');
